#!/usr/bin/env bash
# scripts/gpu-check.sh: everything a machine with an NVIDIA GPU should check, in one go, results in one folder.
#
#   scripts/gpu-check.sh [--dry-run] [--out DIR] [--rounds N]
#
# GPU mode (default):
#   0. prerequisites.txt a JDK 17 and Maven (exit 2 naming what is missing), and where the CUDA 11.6 libraries of
#                       nd4j-cuda-11.6 would come from (system libraries found, the Maven artifacts present or to
#                       download)
#   1. env.txt          date, host, java, maven, nvidia-smi, load
#   2. build.log        mvn -Pcuda package of all modules (-DskipTests; nothing is installed into ~/.m2) and the
#                       samples' runtime classpath from the same reactor
#   3. backend.txt      check-backend: the quick checklist's env.backend item alone. On a Hopper GPU (H100/H200,
#                       compute capability 9.0) with nd4j-cuda-11.6 the expected answer is BACKEND_MISMATCH naming
#                       the device and its capability, exit code 1 and no JVM crash (an exit code >= 128 or an
#                       hs_err_pid*.log is a crash).
#   Only where the backend check passes (a supported GPU):
#   4. gpu-tests.log    the tests tagged gpu, and the measure package's tests (numerics and host reads per probe
#                       call) on the CUDA backend
#   5. bench-mlp.txt, bench-resnet.txt
#                       bench --profile on both workloads: time vs bare and host reads per (measured) iteration
#                       per listener
#   summary.txt         one line per step: what ran, its exit code, where its output is.
#
# --dry-run: the same steps on the CPU backend (no -Pcuda, offline build, nvidia-smi not needed): the backend check
# (expected: OK), the measure tests, and bench --profile on both workloads at a tiny size. Exercises everything but
# the GPU.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

dry=0
out=""
rounds=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry=1 ;;
    --out) out="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1' (valid: --dry-run, --out DIR, --rounds N)" >&2; exit 2 ;;
  esac
  shift
done
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
if [ -z "$out" ]; then
  if [ "$dry" -eq 1 ]; then out="gpu-check-results/dry-run-$stamp"; else out="gpu-check-results/gpu-$stamp"; fi
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
summary="$out/summary.txt"
: > "$summary"

if [ "$dry" -eq 1 ]; then
  mvn_flags=(-B -o -q)
  mode="dry run (CPU backend, no GPU)"
  rounds="${rounds:-2}"
  bench_size=(--warmup 1 --iterations 10 --mlp-batch 16 --resnet-batch 4)
else
  mvn_flags=(-B -ntp -q -Pcuda)
  mode="GPU (-Pcuda)"
  rounds="${rounds:-20}"
  bench_size=(--warmup 2 --iterations 10)
fi

note() {
  echo "$*" | tee -a "$summary"
}

# step NAME LOGFILE COMMAND...: runs the command with its output in LOGFILE and records its exit code.
step() {
  local name="$1" log="$2"
  shift 2
  local start end rc
  start=$(date +%s)
  "$@" > "$out/$log" 2>&1
  rc=$?
  end=$(date +%s)
  note "$(printf '%-14s exit %-3s %4ss  %s' "$name" "$rc" "$((end - start))" "$log")"
  return $rc
}

note "gpu-check: $mode, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
note "results: $out"

{
  echo "date: $(date -u)"
  echo "host: $(uname -a)"
  echo "load: $(uptime)"
  echo "cpus: $(nproc)"
  java -version 2>&1
  mvn -v 2>&1 | head -3
  if [ "$dry" -eq 1 ]; then
    echo "nvidia-smi: not run (dry run)"
  elif command -v nvidia-smi > /dev/null; then
    nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv 2>&1 || nvidia-smi 2>&1
  else
    echo "nvidia-smi: not found"
  fi
} > "$out/env.txt" 2>&1
note "$(printf '%-14s exit %-3s %4ss  %s' env 0 0 env.txt)"

# Prerequisites, before anything is built: a JDK 17 and Maven, and (GPU mode) where the CUDA 11.6 libraries that
# nd4j-cuda-11.6 links against would come from. A machine that lacks them gets one line per missing piece and exit
# 2, not a build failure to decode. The -Pcuda build brings the libraries as Maven artifacts (nd4j-cuda-11.6 natives,
# 573 MB; org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist, 1.8 GB), so a machine without network access needs
# them in ~/.m2 already.
(
  missing=0
  for tool in java mvn; do
    if command -v "$tool" > /dev/null; then
      echo "$tool: $(command -v "$tool")"
    else
      echo "MISSING $tool: install a JDK 17 and Maven 3.8+ (Debian: apt-get install -y openjdk-17-jdk-headless maven)"
      missing=1
    fi
  done
  if command -v java > /dev/null && ! java -version 2>&1 | grep -q 'version "17'; then
    echo "MISSING JDK 17: $(java -version 2>&1 | head -1) (dl4j-debug builds with --release 17)"
    missing=1
  fi
  if [ "$dry" -eq 0 ]; then
    echo "system CUDA libraries (ldconfig): $(ldconfig -p 2>/dev/null | grep -oE 'lib(cudart|cublas|cusolver|cudnn)\.so\.[0-9]+' | sort -u | tr '\n' ' ')"
    echo "nd4j-cuda-11.6 needs libcudart.so.11.0, libcublas.so.11, libcusolver.so.11 and libcudnn.so.8: from the"
    echo "  bytedeco cuda redist jar of the -Pcuda build, or a system CUDA 11.6 + cuDNN 8.3"
    m2="${MAVEN_REPO:-$HOME/.m2/repository}"
    for jar in org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar \
        org/bytedeco/cuda/11.6-8.3-1.5.7/cuda-11.6-8.3-1.5.7-linux-x86_64-redist.jar; do
      if [ -f "$m2/$jar" ]; then echo "in the local Maven repository: $jar"; else echo "to download: $jar"; fi
    done
  fi
  exit "$missing"
) > "$out/prerequisites.txt" 2>&1
prereq_rc=$?
note "$(printf '%-14s exit %-3s %4ss  %s' prerequisites "$prereq_rc" 0 prerequisites.txt)"
if [ "$prereq_rc" -ne 0 ]; then
  grep '^MISSING' "$out/prerequisites.txt" | while read -r line; do note "gpu-check: $line"; done
  exit 2
fi

# One reactor build: package every module (no install) and write the samples' runtime classpath, whose
# dl4j-debug entries then point at this reactor's jars.
cp_file="$out/classpath.txt"
if ! step build build.log mvn "${mvn_flags[@]}" -pl samples -am package -DskipTests -Dassembly.skipAssembly=true dependency:build-classpath \
    -Dmdep.outputFile="$cp_file"; then
  note "gpu-check: the build failed; see build.log"
  exit 1
fi
# Compiled classes first, so that the run uses exactly this working tree.
cp="samples/target/classes:dl4j-debug-core/target/classes:dl4j-debug-ui/target/classes:$(cat "$cp_file")"
run_cli() {
  OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" java -XX:ErrorFile="$out/hs_err_pid%p.log" -cp "$cp" \
      io.dl4jdebug.samples.Dl4jDebugCli "$@"
}

step backend-check backend.txt run_cli check-backend
backend_rc=$?
if [ "$backend_rc" -ge 128 ] || ls "$out"/hs_err_pid*.log > /dev/null 2>&1; then
  note "backend-check: the JVM crashed (exit $backend_rc); see backend.txt and hs_err_pid*.log"
elif [ "$backend_rc" -ne 0 ]; then
  note "backend-check: $(grep -m1 'BACKEND_MISMATCH' "$out/backend.txt" || echo "failed without a BACKEND_MISMATCH line")"
  note "gpu-check: the backend cannot run training here; tests and bench skipped (expected on Hopper with nd4j-cuda-11.6)"
  exit 0
fi

tests="HostReadsTest,ParameterProbeTest,ActivationProbePathsTest,ActivationProbeTest,BackwardProbeTest,NonFiniteProbeTest,SuiteHostReadsTest"
if [ "$dry" -eq 1 ]; then
  step measure-tests measure-tests.log mvn "${mvn_flags[@]}" -pl dl4j-debug-core -am verify -Dtest="$tests" \
      -Dsurefire.failIfNoSpecifiedTests=false
  note "gpu-tests      not run (dry run: the tests tagged gpu need a CUDA device)"
else
  step gpu-tests gpu-tests.log mvn "${mvn_flags[@]}" -pl dl4j-debug-core -am verify -Dgroups=gpu \
      -Dsurefire.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false
  step measure-tests measure-tests.log mvn "${mvn_flags[@]}" -pl dl4j-debug-core -am verify -Dtest="$tests" \
      -Dsurefire.failIfNoSpecifiedTests=false
fi

variants="bare,noise,suite,nan,grad,act,wrappers"
for w in mlp resnet; do
  step "bench-$w" "bench-$w.txt" run_cli bench --workload "$w" --rounds "$rounds" "${bench_size[@]}" \
      --variants "$variants" --memory-iterations 0 --profile
done
for w in mlp resnet; do
  if [ -s "$out/bench-$w.txt" ]; then
    echo "--- bench-$w: host reads (profile) ---" >> "$summary"
    # The profile table: the rows after its header (the one that names host reads), up to the blank line.
    awk -F'|' '/host reads\/it\./ {on = 1; next} on && NF < 3 {on = 0} on && $2 !~ /---/ {
        printf "%-50s %-20s reads/it %5s  reads/measured it %5s  whole it %5s\n", $2, $3, $10, $11, $12}' \
        "$out/bench-$w.txt" \
        >> "$summary"
  fi
done
note "gpu-check: done; results in $out"
