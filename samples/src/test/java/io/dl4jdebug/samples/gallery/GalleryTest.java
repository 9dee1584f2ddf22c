package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.cli.ui.UiSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every gallery sample, run exactly as {@code ./dl4j-debug gallery NAME --fixed} runs it: the buggy setup's most
 * important finding is the sample's expected symptom, and the fixed setup no longer produces that symptom.
 */
class GalleryTest {

    private static GalleryData data;

    @BeforeAll
    static void data() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
        data = GalleryData.fromDefaultDirectory();
    }

    @TestFactory
    Stream<DynamicTest> eachSampleShowsItsSymptomFirstAndItsFixRemovesIt() {
        return Gallery.all().stream().map(sample -> DynamicTest.dynamicTest(sample.name(), () -> {
            Outcome buggy = GalleryRunner.run(sample.buggy(data), UiSession.disabled().newRun("test"), null);
            assertThat(buggy.findings()).as("findings of the buggy %s", sample.name()).isNotEmpty();
            assertThat(buggy.topSymptom())
                    .as("root cause of the first incident of the buggy %s: %s", sample.name(),
                            buggy.diagnosis().incidents())
                    .isEqualTo(sample.expectedSymptom());
            assertThat(buggy.diagnosis().loud()).as("loud incidents of the buggy %s", sample.name()).hasSize(1);

            Outcome fixed = GalleryRunner.run(sample.fixed(data), UiSession.disabled().newRun("test"), null);
            assertThat(fixed.findings()).extracting(Finding::symptom)
                    .as("findings of the fixed %s", sample.name()).doesNotContain(sample.expectedSymptom());
        }));
    }

    @Test
    void deepSigmoidBlamesTheDepthAndItsReluFixIsVerifiedOnACopy() {
        Outcome buggy = GalleryRunner.run(new DeepSigmoid().buggy(data), UiSession.disabled().newRun("test"), null);
        assertThat(buggy.findings()).filteredOn(f -> f.symptom() == Symptom.VANISHING_GRADIENT)
                .extracting(Finding::layer).contains("dense1");
        Incident top = buggy.diagnosis().incidents().get(0);
        assertThat(top.symptom()).as(top.toString()).isEqualTo(Symptom.VANISHING_GRADIENT);
        assertThat(top.root().layers()).contains("dense1");
        assertThat(top.fix().get(0)).contains("Activation.RELU").contains("WeightInit.RELU").contains("dense1");
        assertThat(top.fix()).noneMatch(s -> s.contains("data pipeline"));
        assertThat(top.consequences()).extracting(SymptomGroup::symptom).contains(Symptom.ACTIVATION_COLLAPSE);
        assertThat(top.confirmed()).as(String.valueOf(top.verification())).isTrue();
        assertThat(top.verification().fixedAfter()).isLessThan(top.verification().baselineAfter());
    }

    @Test
    void tooHighLearningRateIsTheVerifiedRootOfTheNaNAndTheFixIsAPlausibleRate() {
        Outcome buggy = GalleryRunner.run(new LearningRateTooHigh().buggy(data), UiSession.disabled().newRun("t"),
                null);
        Incident top = buggy.diagnosis().incidents().get(0);
        assertThat(top.symptom()).isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
        assertThat(top.consequences()).extracting(SymptomGroup::symptom).contains(Symptom.NON_FINITE);
        assertThat(top.fix().get(0)).contains("new Sgd(0.05)").contains("instead of new Sgd(1.0e4)");
        assertThat(top.confirmed()).as(String.valueOf(top.verification())).isTrue();
        assertThat(top.verification().baselineAfter()).isNaN();
    }

    @Test
    void learningRateTooHighStopsAtTheFirstNaN() {
        Outcome buggy = GalleryRunner.run(new LearningRateTooHigh().buggy(data), UiSession.disabled().newRun("t"),
                null);
        assertThat(buggy.stoppedNonFinite()).isTrue();
        assertThat(buggy.iterations()).isLessThan(20);
    }

    @Test
    void listNamesEverySampleWithItsSymptom() {
        Run r = run("--list");
        assertThat(r.code).isZero();
        for (GallerySample s : Gallery.all()) {
            assertThat(r.out).contains(s.name()).contains(s.expectedSymptom().name());
        }
    }

    @Test
    void unknownSampleIsOneLineAndExitCode2() {
        Run r = run("no-such-bug");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.strip()).doesNotContain("\n").contains("no-such-bug").contains("lr-too-high");
    }

    @Test
    void fixedShowsTheDifference() {
        Run r = run("frozen-layer", "--fixed");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("WEIGHTS_NOT_UPDATING, as expected").contains("-- Difference")
                .containsPattern("root cause \\(first incident\\)\\s+WEIGHTS_NOT_UPDATING\\s+none");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new GalleryCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
