package io.dl4jdebug.preflight;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The main class of the child JVM that {@link ChildJvmKernelProbe} starts: runs {@link KernelProbe#runInProcess()}
 * and prints one line: {@link #MARKER}, {@code OK} or {@code FAIL}, the backend's class name (or {@link #NO_BACKEND})
 * and the detail, separated by single spaces; exits 0 when the probe passed, 1 when it failed. A native crash prints no such line (the JVM dies first).
 */
public final class KernelProbeMain {

    /** The prefix of the one result line on standard output. */
    public static final String MARKER = "DL4J-DEBUG-KERNEL-PROBE";
    /** The backend name printed when no backend loads. */
    public static final String NO_BACKEND = "no-backend";

    private KernelProbeMain() {
    }

    /**
     * Runs the probe and exits.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        KernelProbeResult result = KernelProbe.runInProcess();
        String backend = backendName();
        String line = MARKER + " " + (result.isPassed() ? "OK" : "FAIL") + " " + backend + " "
                + result.detail().replaceAll("\\s+", " ");
        System.out.println(line);
        System.out.flush();
        // exit explicitly: ND4J's native thread pools must not keep the child alive
        System.exit(result.isPassed() ? 0 : 1);
    }

    private static String backendName() {
        try {
            return Nd4j.getBackend().getClass().getSimpleName();
        } catch (RuntimeException | LinkageError e) {
            return NO_BACKEND;
        }
    }
}
