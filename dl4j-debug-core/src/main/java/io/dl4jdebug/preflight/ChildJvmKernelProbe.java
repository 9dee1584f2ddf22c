package io.dl4jdebug.preflight;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link KernelProbe} in a child JVM ({@link KernelProbeMain}), so that a GPU kernel that crashes natively
 * kills the child, not the caller. The child is this JVM's {@code java} with this JVM's class path and its
 * {@code org.bytedeco.*}, {@code org.nd4j.*}, {@code org.deeplearning4j.*}, {@code org.eclipse.deeplearning4j.*} and
 * {@code java.library.path} system properties; it inherits the environment ({@code CUDA_VISIBLE_DEVICES},
 * {@code LD_LIBRARY_PATH}). Its output goes to temporary files, deleted afterwards.
 *
 * <p>Outcomes: exit 0 with an OK line passes; a FAIL line fails with its text; a non-zero exit without a line (134 and
 * 139 are native crashes: SIGABRT, SIGSEGV) fails with the exit code and the last lines of the child's output; a child
 * still running after the timeout is killed ({@code destroyForcibly}) and fails naming the timeout. When the child
 * cannot be started, or cannot load its main class from {@code java.class.path} (classes from another class loader,
 * e.g. a Spring Boot jar), the result is NOT_RUN: nothing is known about the backend. Nothing is thrown; failures are logged. Thread safe (no state).
 */
public final class ChildJvmKernelProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvmKernelProbe.class);
    private static final List<String> FORWARDED_PREFIXES = List.of("org.bytedeco.", "org.nd4j.",
            "org.deeplearning4j.", "org.eclipse.deeplearning4j.");
    private static final int TAIL_LINES = 6;
    private static final long REAP_SECONDS = 10;

    private final Duration timeout;
    private final String mainClass;
    private final List<String> extraJvmArgs;

    /**
     * A probe running {@link KernelProbeMain}.
     *
     * @param timeout how long the child may run before it is killed; positive
     */
    public ChildJvmKernelProbe(Duration timeout) {
        this(timeout, KernelProbeMain.class.getName(), List.of());
    }

    /**
     * A probe with another main class or extra JVM options (for tests and experiments).
     *
     * @param timeout      how long the child may run before it is killed; positive
     * @param mainClass    the child's main class, which prints the {@link KernelProbeMain#MARKER} line
     * @param extraJvmArgs options put before the main class, e.g. {@code -Dorg.bytedeco.javacpp.platform=...}
     */
    public ChildJvmKernelProbe(Duration timeout, String mainClass, List<String> extraJvmArgs) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0 but was " + timeout);
        }
        this.timeout = timeout;
        this.mainClass = Objects.requireNonNull(mainClass, "mainClass must not be null");
        this.extraJvmArgs = List.copyOf(extraJvmArgs);
    }

    /** @return the child's command line: java, options, class path, main class */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.equals("java.library.path") || FORWARDED_PREFIXES.stream().anyMatch(k::startsWith))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.addAll(extraJvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    private static String javaExecutable() {
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Path windows = bin.resolve("java.exe");
        return (Files.isRegularFile(windows) ? windows : bin.resolve("java")).toString();
    }

    /**
     * Starts the child, waits for it up to the timeout and reads its verdict.
     *
     * @return passed, failed (FAIL line, crash, timeout) or not run (the child could not start)
     */
    public KernelProbeResult run() {
        long start = System.nanoTime();
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("dl4j-debug-kernel-probe", ".out");
            err = Files.createTempFile("dl4j-debug-kernel-probe", ".err");
            List<String> cmd = command();
            LOG.debug("starting the kernel probe child JVM: {}", cmd);
            process = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice()))).start();
            boolean finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(REAP_SECONDS, TimeUnit.SECONDS);
                return log(timedOut(timeout, seconds, tail(read(err), read(out))));
            }
            return log(interpret(process.exitValue(), read(out), read(err), seconds));
        } catch (IOException e) {
            LOG.warn("the kernel probe child JVM could not be started", e);
            return KernelProbeResult.notRun("the kernel probe's child JVM could not be started: " + e,
                    Map.of("probeSeconds", (System.nanoTime() - start) / 1e9));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
            LOG.warn("interrupted while waiting for the kernel probe child JVM");
            return KernelProbeResult.notRun("interrupted while waiting for the kernel probe's child JVM",
                    Map.of("probeSeconds", (System.nanoTime() - start) / 1e9));
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String nullDevice() {
        return File.separatorChar == '\\' ? "NUL" : "/dev/null";
    }

    /**
     * Reads a finished child's verdict. Pure: no process, no ND4J.
     *
     * @param exitCode the child's exit code (128 + n when signal n killed it)
     * @param stdout   its standard output, line by line
     * @param stderr   its standard error, line by line
     * @param seconds  how long it ran
     * @return passed on exit 0 with an OK line; not run when the main class could not be loaded; failed otherwise
     */
    static KernelProbeResult interpret(int exitCode, List<String> stdout, List<String> stderr, double seconds) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("probeSeconds", seconds);
        evidence.put("exitCode", (double) exitCode);
        String line = stdout.stream().filter(l -> l.startsWith(KernelProbeMain.MARKER + " ")).reduce((a, b) -> b)
                .map(l -> l.substring(KernelProbeMain.MARKER.length() + 1)).orElse(null);
        String[] parts = line == null ? new String[0] : line.split(" ", 3);
        if (parts.length == 3 && parts[0].equals("FAIL")) {
            String where = parts[1].equals(KernelProbeMain.NO_BACKEND) ? "in a child JVM"
                    : "in a child JVM on " + parts[1];
            return KernelProbeResult.failed(parts[2] + " (" + where + ", exit code " + exitCode + ")", evidence);
        }
        if (parts.length == 3 && parts[0].equals("OK") && exitCode == 0) {
            return KernelProbeResult.passed(parts[2] + " in a child JVM on " + parts[1], evidence);
        }
        if (parts.length == 0 && stderr.stream().anyMatch(l -> l.contains("Could not find or load main class"))) {
            // the probe never ran: e.g. classes loaded by an application class loader (a Spring Boot jar, a
            // container) that a plain "java -cp java.class.path" does not see. Nothing is known about the backend.
            return KernelProbeResult.notRun("the kernel probe's child JVM could not load its main class from this "
                    + "JVM's java.class.path (" + tail(stderr, List.of()) + "); set ChecklistConfig.kernelProbeMode"
                    + "(IN_PROCESS) or OFF where the classes come from another class loader", evidence);
        }
        String what = parts.length == 3
                ? "the kernel probe's operations ran in a child JVM, but the child then exited with code " + exitCode
                + describe(exitCode)
                : "the kernel probe's child JVM exited with code " + exitCode + describe(exitCode)
                + " without printing a result";
        String tail = tail(stderr, stdout);
        return KernelProbeResult.failed(what + (tail.isEmpty() ? "" : "; last output: " + tail), evidence);
    }

    static KernelProbeResult timedOut(Duration timeout, double seconds, String tail) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("probeSeconds", seconds);
        evidence.put("timeoutSeconds", timeout.toNanos() / 1e9);
        return KernelProbeResult.failed(String.format(Locale.ROOT, "the kernel probe's child JVM did not finish "
                + "within the timeout of %s s and was killed (a hung GPU kernel or driver, or a timeout too short "
                + "for this machine: ChecklistConfig.kernelProbeTimeout)", seconds(timeout))
                + (tail.isEmpty() ? "" : "; last output: " + tail), evidence);
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private static String describe(int exitCode) {
        return switch (exitCode) {
            case 134 -> " (SIGABRT: a native crash, e.g. the JVM's fatal error handler)";
            case 139 -> " (SIGSEGV: a native crash)";
            case 137 -> " (SIGKILL: killed, e.g. out of memory)";
            default -> exitCode > 128 && exitCode < 160 ? " (killed by signal " + (exitCode - 128) + ")" : "";
        };
    }

    /**
     * @return the last meaningful lines of standard error, then of standard output (where HotSpot prints its fatal
     *         error banner), joined with " | "; empty when both are empty
     */
    static String tail(List<String> stderr, List<String> stdout) {
        List<String> parts = new ArrayList<>();
        for (List<String> lines : List.of(meaningful(stderr), meaningful(stdout))) {
            if (!lines.isEmpty()) {
                parts.add(String.join(" | ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())));
            }
        }
        return String.join(" || ", parts);
    }

    /** Drops blank lines, HotSpot's bare "#" separator lines and stack frames. */
    private static List<String> meaningful(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("#"))
                .filter(l -> !l.startsWith("at ") && !l.matches("\\.\\.\\. \\d+ (common )?frames omitted"))
                .toList();
    }

    private static List<String> read(Path file) {
        try {
            // lenient decoding: a crashing child may print anything
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            LOG.warn("could not read the kernel probe's output {}", file, e);
            return List.of();
        }
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete the kernel probe's output {}", file, e);
        }
    }

    private static KernelProbeResult log(KernelProbeResult result) {
        if (!result.isPassed()) {
            LOG.warn("kernel probe in a child JVM: {}", result.detail());
        }
        return result;
    }
}
