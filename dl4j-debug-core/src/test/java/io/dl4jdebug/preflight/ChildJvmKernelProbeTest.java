package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kernel probe in a real child JVM on the CPU backend: its pass, and three genuine failures (a timeout, a
 * backend that cannot load, a JVM that dies in its fatal error handler). The GPU cases (a kernel without code for
 * the device) could not be run here: they are covered by the same exit-code and output mapping.
 */
class ChildJvmKernelProbeTest {

    private static final Duration GENEROUS = Duration.ofSeconds(120);

    @Test
    void childJvmProbePassesOnCpuThroughSurefiresClassPath() {
        KernelProbeResult result = new ChildJvmKernelProbe(GENEROUS).run();

        assertThat(result.isPassed()).as(result.detail()).isTrue();
        assertThat(result.detail()).contains("mmul/sigmoid/sum/conv2d ran correctly")
                .endsWith("in a child JVM on CpuBackend");
        assertThat(result.evidence()).containsEntry("exitCode", 0.0);
        assertThat(result.evidence().get("probeSeconds")).isPositive();
    }

    @Test
    void aPassedChildProbeIsReusedForTheRestOfTheJvmButNotForAnotherTimeout() {
        ChecklistConfig config = ChecklistConfig.builder().kernelProbeMode(KernelProbeMode.CHILD_JVM)
                .kernelProbeTimeout(Duration.ofSeconds(119)).build();

        BackendCheck.Verdict first = new BackendCheck(config).run();
        BackendCheck.Verdict second = new BackendCheck(config).run();

        assertThat(first.status()).as(first.message()).isEqualTo(CheckStatus.PASS);
        // the same child's measured seconds: no second child was started
        assertThat(second.evidence()).containsEntry("probeSeconds", first.evidence().get("probeSeconds"));
        BackendCheck.Verdict timedOut = new BackendCheck(ChecklistConfig.builder()
                .kernelProbeMode(KernelProbeMode.CHILD_JVM).kernelProbeTimeout(Duration.ofMillis(1)).build()).run();
        assertThat(timedOut.status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void childCommandIsThisJvmsJavaAndClassPath() {
        List<String> cmd = new ChildJvmKernelProbe(GENEROUS).command();
        assertThat(cmd.get(0)).startsWith(System.getProperty("java.home"));
        assertThat(cmd).containsSubsequence("-cp", System.getProperty("java.class.path"),
                KernelProbeMain.class.getName());
        // surefire passes -Dorg.bytedeco.javacpp.maxbytes=6G: the child gets the same JavaCPP limits
        assertThat(cmd).contains("-Dorg.bytedeco.javacpp.maxbytes=" + System.getProperty("org.bytedeco.javacpp"
                + ".maxbytes"));
    }

    @Test
    void aChildStillRunningAfterTheTimeoutIsKilledAndNamed() {
        KernelProbeResult result = new ChildJvmKernelProbe(Duration.ofMillis(1)).run();

        assertThat(result.outcome()).isEqualTo(KernelProbeResult.Outcome.FAILED);
        assertThat(result.detail()).contains("did not finish within the timeout of 0.001 s and was killed")
                .contains("kernelProbeTimeout");
        assertThat(result.evidence()).containsEntry("timeoutSeconds", 0.001);
    }

    /** JavaCPP looks for linux-arm64 natives that are not on the class path: ND4J's backend cannot load. */
    @Test
    void aChildWhoseBackendCannotLoadReportsItsFailLine() {
        KernelProbeResult result = new ChildJvmKernelProbe(GENEROUS, KernelProbeMain.class.getName(),
                List.of("-Dorg.bytedeco.javacpp.platform=linux-arm64")).run();

        assertThat(result.outcome()).isEqualTo(KernelProbeResult.Outcome.FAILED);
        assertThat(result.detail()).startsWith("loading the ND4J backend threw java.lang.ExceptionInInitializerError")
                .contains("ND4J is probably missing dependencies")
                .contains("UnsatisfiedLinkError")
                .endsWith("(in a child JVM, exit code 1)");
        assertThat(result.evidence()).containsEntry("exitCode", 1.0);
    }

    /**
     * A 4 MB heap with -XX:+CrashOnOutOfMemoryError: HotSpot's fatal error handler kills the child while it opens
     * the class path's jars, before any result line (exit code 1 because core dumps are off; with core dumps the
     * same crash is SIGABRT, 134). The error file goes to a temporary folder.
     */
    @Test
    void aChildThatDiesNativelyReportsItsExitCodeAndLastOutput(@TempDir Path dir) throws Exception {
        KernelProbeResult result = new ChildJvmKernelProbe(GENEROUS, KernelProbeMain.class.getName(), List.of(
                "-Xmx4m", "-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"))).run();

        assertThat(result.outcome()).isEqualTo(KernelProbeResult.Outcome.FAILED);
        assertThat(result.detail()).startsWith("the kernel probe's child JVM exited with code 1 without printing a "
                        + "result; last output: ")
                .contains("fatal error: OutOfMemory encountered: Java heap space")
                .contains("An error report file with more information is saved as: | # " + dir);
        assertThat(result.evidence()).containsEntry("exitCode", 1.0);
        try (var files = Files.list(dir)) {
            assertThat(files).as("HotSpot wrote its error report").isNotEmpty();
        }
    }

    /** Not a backend problem: the probe never ran, so it must not become a BACKEND_MISMATCH. */
    @Test
    void aChildThatCannotLoadItsMainClassDidNotRun() {
        KernelProbeResult result = new ChildJvmKernelProbe(GENEROUS, "io.dl4jdebug.NoSuchMain", List.of()).run();

        assertThat(result.outcome()).isEqualTo(KernelProbeResult.Outcome.NOT_RUN);
        assertThat(result.detail()).contains("could not load its main class")
                .contains("Could not find or load main class io.dl4jdebug.NoSuchMain").contains("IN_PROCESS");
        assertThat(result.evidence()).containsEntry("exitCode", 1.0);
    }

    @Test
    void exitCodesWithoutAResultLineNameTheSignal() {
        KernelProbeResult abort = ChildJvmKernelProbe.interpret(134, List.of("# A fatal error has been detected",
                "#", ""), List.of("CUDA error: no kernel image is available for execution on the device"), 2.5);
        assertThat(abort.outcome()).isEqualTo(KernelProbeResult.Outcome.FAILED);
        assertThat(abort.detail()).isEqualTo("the kernel probe's child JVM exited with code 134 (SIGABRT: a native "
                + "crash, e.g. the JVM's fatal error handler) without printing a result; last output: CUDA error: no "
                + "kernel image is available for execution on the device || # A fatal error has been detected");
        assertThat(abort.evidence()).containsEntry("exitCode", 134.0).containsEntry("probeSeconds", 2.5);

        assertThat(ChildJvmKernelProbe.interpret(139, List.of(), List.of(), 1).detail())
                .isEqualTo("the kernel probe's child JVM exited with code 139 (SIGSEGV: a native crash) without "
                        + "printing a result");
        assertThat(ChildJvmKernelProbe.interpret(0, List.of(KernelProbeMain.MARKER + " OK CpuBackend fine",
                "shutdown"), List.of(), 1).isPassed()).isTrue();
        assertThat(ChildJvmKernelProbe.interpret(134, List.of(KernelProbeMain.MARKER + " OK JCublasBackend fine"),
                List.of(), 1).detail()).startsWith("the kernel probe's operations ran in a child JVM, but the child "
                + "then exited with code 134");
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> new ChildJvmKernelProbe(Duration.ZERO))
                .hasMessage("timeout must be > 0 but was PT0S");
    }
}
