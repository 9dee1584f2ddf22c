package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The quick checklist's {@code env.backend} item: a backend loads; it is the expected one; on CUDA, every GPU has a
 * compute capability the ND4J build has code for ({@link CudaCapability}); and a tiny mmul/sigmoid/sum/conv2d
 * ({@link KernelProbe}) runs and gives the right numbers, in process or in a child JVM
 * ({@link ChecklistConfig#kernelProbeMode()}). Every problem becomes a {@link Symptom#BACKEND_MISMATCH} finding,
 * never an exception. Not thread safe (ND4J's backend state is global).
 */
final class BackendCheck {

    /** Child-JVM probes that passed, by timeout (a different timeout is a different question). */
    private static final Map<java.time.Duration, KernelProbeResult> PASSED_CHILD_PROBES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final ChecklistConfig config;

    /**
     * What the item says: a status, a message and evidence, the finding behind a FAIL (else null), and whether ND4J
     * can run at all (false: no backend, an unsupported GPU or a failed kernel probe; true for a working backend
     * that is not the expected one).
     */
    record Verdict(CheckStatus status, String message, Map<String, Double> evidence, Finding finding,
                   boolean backendUsable) {
        static Verdict pass(String message, Map<String, Double> evidence) {
            return new Verdict(CheckStatus.PASS, message, evidence, null, true);
        }

        static Verdict fail(Finding finding, boolean backendUsable) {
            return new Verdict(CheckStatus.FAIL, finding.message(), finding.evidence(), finding, backendUsable);
        }
    }

    /**
     * A child-JVM probe that passed holds for the rest of this JVM (the backend and the GPUs do not change), so a
     * command that checks several networks starts one child, not one per network. Failures are not kept: a timeout
     * may not recur.
     */
    private static KernelProbeResult childProbe(java.time.Duration timeout) {
        KernelProbeResult passed = PASSED_CHILD_PROBES.get(timeout);
        if (passed != null) {
            return passed;
        }
        KernelProbeResult result = new ChildJvmKernelProbe(timeout).run();
        if (result.isPassed()) {
            PASSED_CHILD_PROBES.put(timeout, result);
        }
        return result;
    }

    BackendCheck(ChecklistConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    Verdict run() {
        Backend running;
        String name;
        try {
            name = Nd4j.getBackend().getClass().getSimpleName();
            running = Backend.ofClassName(name);
        } catch (RuntimeException | LinkageError e) {
            return Verdict.fail(Finding.builder(Symptom.BACKEND_MISMATCH, Severity.ERROR,
                            "no ND4J backend could be loaded: " + e)
                    .suggest("add org.nd4j:nd4j-native-platform (CPU) or nd4j-cuda-11.6-platform (GPU) to the "
                            + "dependencies, matching the DL4J version")
                    .build(), false);
        }
        List<CudaDevice> devices = running == Backend.CUDA
                ? CudaCapability.devices(Nd4j.getExecutioner().getEnvironmentInformation()) : List.of();
        Optional<Finding> unsupported = unsupportedGpu(name, devices);
        if (unsupported.isPresent()) {
            return Verdict.fail(unsupported.get(), false);
        }
        String where = "ND4J runs on " + running + " (" + name + ")" + (devices.isEmpty() ? ""
                : " on " + devices.stream().map(CudaDevice::describe).collect(Collectors.joining(", ")));
        Map<String, Double> evidence = new LinkedHashMap<>();
        if (!devices.isEmpty()) {
            evidence.put("cudaDevices", (double) devices.size());
            evidence.put("computeCapability", devices.get(0).computeCapability());
        }
        KernelProbeMode mode = config.kernelProbeMode().resolve(running);
        String probed = "the kernel probe is off (ChecklistConfig.kernelProbeMode)";
        boolean probeRan = false;
        if (mode != KernelProbeMode.OFF) {
            boolean child = mode == KernelProbeMode.CHILD_JVM;
            KernelProbeResult probe = child ? childProbe(config.kernelProbeTimeout()) : KernelProbe.runInProcess();
            evidence.put("childJvm", child ? 1.0 : 0.0);
            evidence.putAll(probe.evidence());
            String detail = probe.detail() + (child ? String.format(Locale.ROOT, " (%.1f s)",
                    probe.evidence().getOrDefault("probeSeconds", 0.0)) : " in process");
            if (probe.outcome() == KernelProbeResult.Outcome.FAILED) {
                return Verdict.fail(probeFailed(where, running, detail, evidence), false);
            }
            probeRan = probe.isPassed();
            probed = probeRan ? detail : "but " + detail;
        }
        Optional<Backend> expected = config.expected();
        if (expected.isPresent() && expected.get() != running) {
            Finding.Builder b = Finding.builder(Symptom.BACKEND_MISMATCH, Severity.ERROR,
                            expected.get() + " backend expected but ND4J runs on " + running + " (" + name + ")")
                    .evidence("expectedCuda", expected.get() == Backend.CUDA ? 1 : 0)
                    .evidence("runningCuda", running == Backend.CUDA ? 1 : 0);
            b.evidence(evidence);
            return Verdict.fail(b.suggest(expected.get() == Backend.CUDA
                            ? "put org.nd4j:nd4j-cuda-11.6 (with its platform classifier) on the classpath and "
                            + "remove nd4j-native; check the CUDA driver with nvidia-smi"
                            : "remove nd4j-cuda from the classpath or put nd4j-native first")
                    .build(), true);
        }
        String message = where + expected.map(e -> ", as expected").orElse(" (no backend expectation set)") + "; "
                + probed;
        if (mode != KernelProbeMode.OFF && !probeRan) {
            return new Verdict(CheckStatus.SKIPPED, message, evidence, null, true);
        }
        return Verdict.pass(message, evidence);
    }

    private static Finding probeFailed(String where, Backend running, String detail, Map<String, Double> evidence) {
        Finding.Builder b = Finding.builder(Symptom.BACKEND_MISMATCH, Severity.ERROR,
                where + ", but a tiny " + KernelProbe.OPERATIONS + " does not work there: " + detail);
        b.evidence(evidence);
        List<String> fixes = new ArrayList<>();
        if (evidence.containsKey("timeoutSeconds")) {
            fixes.add("if the machine is only slow, give the probe more time: "
                    + "ChecklistConfig.builder().kernelProbeTimeout(Duration.ofMinutes(5))");
        }
        if (running == Backend.CPU) {
            fixes.add("use org.nd4j:nd4j-native-platform (or nd4j-native with the classifier of this platform, "
                    + "e.g. linux-x86_64) in the same version as DL4J");
            fixes.add("clear the JavaCPP cache (~/.javacpp/cache) and rerun with "
                    + "-Dorg.bytedeco.javacpp.logger.debug=true to see which native library fails");
        } else {
            fixes.add("use the CPU backend on this machine: org.nd4j:nd4j-native-platform instead of "
                    + "nd4j-cuda-11.6");
            fixes.add("run on a GPU of compute capability 3.7 or 5.0 to 8.x (nd4j-cuda-11.6 1.0.0-M2.1 has code for "
                    + "nothing newer); check the driver and the CUDA 11.6 libraries with nvidia-smi");
            fixes.add("use a DL4J/ND4J build whose CUDA backend is compiled for this GPU's architecture (sm_90 for "
                    + "Hopper: a newer release or snapshot built with CUDA 12)");
        }
        return b.suggest(fixes.toArray(String[]::new)).build();
    }

    /**
     * The finding for the first GPU the ND4J build has no code for. Pure: testable without a GPU.
     *
     * @param backendName the backend's class name, for the message
     * @param devices     the CUDA devices ({@link CudaCapability#devices})
     * @return a BACKEND_MISMATCH finding, or empty when every device is supported (or there are none)
     */
    static Optional<Finding> unsupportedGpu(String backendName, List<CudaDevice> devices) {
        List<CudaDevice> bad = devices.stream().filter(d -> !CudaCapability.supported(d)).toList();
        if (bad.isEmpty()) {
            return Optional.empty();
        }
        CudaDevice d = bad.get(0);
        String others = bad.size() > 1 ? " (and " + (bad.size() - 1) + " more unsupported GPUs)" : "";
        Finding.Builder b = Finding.builder(Symptom.BACKEND_MISMATCH, Severity.ERROR,
                        "ND4J runs on CUDA (" + backendName + "), but " + d.describe() + others
                                + " is not supported by nd4j-cuda-11.6 1.0.0-M2.1: it has "
                                + CudaCapability.SUPPORTED_TEXT + "; every ND4J operation on this GPU fails with "
                                + "\"no kernel image is available for execution on the device\" or crashes the JVM "
                                + "(the kernel probe was not run)")
                .evidence("computeCapability", d.computeCapability())
                .evidence("deviceIndex", d.index())
                .evidence("cudaDevices", devices.size())
                .evidence("unsupportedDevices", bad.size());
        b.suggest("use the CPU backend on this machine: org.nd4j:nd4j-native-platform instead of nd4j-cuda-11.6",
                "run on a GPU of compute capability 3.7 or 5.0 to 8.x (e.g. V100 7.0, T4 7.5, A100 8.0, RTX 3090 8.6, "
                        + "L4 or RTX 4090 8.9)",
                d.major() >= 9
                        ? "use a DL4J/ND4J build whose CUDA backend is compiled for sm_" + d.major() + d.minor()
                        + " (CUDA 11.8 or later; e.g. a newer release or snapshot built with CUDA 12)"
                        : "this GPU is older than anything nd4j-cuda-11.6 supports: use a newer GPU or the CPU "
                        + "backend");
        if (bad.size() < devices.size()) {
            b.suggest("hide the unsupported GPUs: CUDA_VISIBLE_DEVICES=" + devices.stream()
                    .filter(CudaCapability::supported).map(x -> String.valueOf(x.index()))
                    .collect(Collectors.joining(",")) + " (ND4J's device numbers; when CUDA_VISIBLE_DEVICES is "
                    + "already set they count within it)");
        }
        return Optional.of(b.build());
    }
}
