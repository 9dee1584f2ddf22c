package io.dl4jdebug.cli.dist;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.cli.diagnose.DiagnoseCommandTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The command-line distribution as a user gets it: the archive the package phase built, unpacked into a temporary
 * folder outside the source tree and run through {@code bin/dl4j-debug} in a fresh JVM (no Maven class path).
 * Run by maven-failsafe-plugin in the integration-test phase.
 */
class DistributionIT {

    /** Bound on one command: a JVM start, DL4J's initialisation and 5 iterations on a tiny MLP. */
    private static final long TIMEOUT_SECONDS = 180;

    @TempDir
    static Path tmp;
    static Path home;

    @BeforeAll
    static void unpack() throws IOException, InterruptedException {
        Path archive = Path.of(System.getProperty("dist.archive", "target/none.tar.gz"));
        assertThat(archive).as("the distribution archive (mvn package builds it)").isRegularFile();
        Run untar = run(tmp, List.of("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", tmp.toString()));
        assertThat(untar.code).as(untar.out).isZero();
        home = tmp.resolve("dl4j-debug-" + System.getProperty("dist.version"));
    }

    @Test
    void layoutIsBinAndLibWithTheHostNativesOnly() throws IOException {
        assertThat(home.resolve("bin/dl4j-debug")).isExecutable();
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).anyMatch(j -> j.startsWith("dl4j-debug-cli-"))
                .noneMatch(j -> j.startsWith("dl4j-debug-samples-"))
                .anyMatch(j -> j.startsWith("dl4j-debug-core-")).anyMatch(j -> j.startsWith("dl4j-debug-ui-"))
                .anyMatch(j -> j.startsWith("nd4j-native-") && j.endsWith("-linux-x86_64.jar"))
                .anyMatch(j -> j.startsWith("logback-classic-"));
        assertThat(jars).as("natives of other platforms, or test jars")
                .noneMatch(j -> j.matches(".*-(windows|macosx|android|ios|linux-(arm64|armhf|ppc64le|x86))[-.].*"))
                .noneMatch(j -> j.startsWith("junit-") || j.startsWith("assertj-"));
    }

    @Test
    void diagnoseHelpRuns() throws IOException, InterruptedException {
        Run r = run(tmp, List.of(home.resolve("bin/dl4j-debug").toString(), "diagnose", "--help"));
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).contains("--model").contains("--data").contains("Exit code");
    }

    @Test
    void checkBackendRuns() throws IOException, InterruptedException {
        Run r = run(tmp, List.of(home.resolve("bin/dl4j-debug").toString(), "check-backend"));
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).containsIgnoringCase("cpu");
    }

    @Test
    void diagnoseTrainsAModelFileFiveIterations() throws IOException, InterruptedException {
        assumeThat(FashionMnist.isInstalled()).as("Fashion-MNIST is not installed (scripts/setup-os.sh)").isTrue();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path model = DiagnoseCommandTest.mlp(work, "model.json", FashionMnist.PIXELS, FashionMnist.CLASSES,
                new Adam(1e-3));
        Path report = work.resolve("report.json");
        Run r = run(work, List.of(home.resolve("bin/dl4j-debug").toString(), "diagnose", "--model", "model.json",
                "--data", "fashion-mnist", "--iterations", "5", "--examples", "256", "--no-verify-fixes",
                "--report", report.toString()));
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).contains("0 error incidents").contains("Report: " + report.toAbsolutePath());
        assertThat(Files.readString(report)).contains("\"iterations\" : 5");
    }

    /** What a command printed (stdout and stderr together) and returned. */
    private record Run(int code, String out) {
    }

    private static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile(tmp, "run", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " ran past " + TIMEOUT_SECONDS + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
