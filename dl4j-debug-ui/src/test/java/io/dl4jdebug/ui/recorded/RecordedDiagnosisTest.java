package io.dl4jdebug.ui.recorded;

import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.ui.StatsStorageSink;
import io.dl4jdebug.diagnose.Finding;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real runs recorded by StatsListener alone (default configuration, every 10 iterations) into a FileStatsStorage,
 * diagnosed from the file: a healthy MLP stays quiet, Adam(0.5) is named a learning rate too high with the divergence
 * under it, a deep sigmoid stack is named a vanishing gradient; files that hold no recording are refused in one line.
 */
class RecordedDiagnosisTest {

    @TempDir
    static Path dir;

    static Path healthy;
    static Path diverging;
    static Path vanishing;

    @BeforeAll
    static void record() {
        healthy = StatsRecordings.record(StatsRecordings.mlp(new Adam(1e-3)), 2, dir.resolve("healthy.dl4j"));
        diverging = StatsRecordings.record(StatsRecordings.mlp(new Adam(0.5)), 1, dir.resolve("diverging.dl4j"));
        vanishing = StatsRecordings.record(StatsRecordings.deepSigmoid(), 2, dir.resolve("vanishing.dl4j"));
    }

    static void print(String label, RecordedDiagnosis d) {
        System.out.println("== " + label + ": " + d.run().reports().size() + " reports every "
                + d.run().reportingFrequency() + " iterations; loss " + d.run().reports().get(0).score() + " -> "
                + d.run().reports().get(d.run().reports().size() - 1).score());
        for (Finding f : d.findings()) {
            System.out.println("  finding " + f.symptom() + " " + f.severity() + " " + f.location().orElse("-")
                    + " it " + f.firstIteration() + ": " + f.message());
        }
        for (Incident i : d.diagnosis().incidents()) {
            System.out.println("  incident " + i.severity() + " " + i.symptom() + " " + i.root().layers()
                    + " explains " + i.explains() + " fix " + i.fix());
        }
    }

    @Test
    void aHealthyRunHasNoLoudIncident() {
        RecordedDiagnosis d = RecordedDiagnosis.of(healthy);
        print("healthy", d);
        assertThat(d.run().reportingFrequency()).isEqualTo(10);
        assertThat(d.run().layers()).extracting(l -> l.name()).containsExactly("dense1", "dense2", "output");
        assertThat(d.diagnosis().loud()).isEmpty();
        assertThat(d.hasErrors()).isFalse();
        assertThat(d.checks()).filteredOn(RecordedCheck::ran).extracting(RecordedCheck::name)
                .anyMatch(n -> n.startsWith("loss curve")).anyMatch(n -> n.startsWith("gradient norms"))
                .anyMatch(n -> n.startsWith("update:parameter ratio")).anyMatch(n -> n.startsWith("learning rates"));
    }

    @Test
    void adamAtHalfIsALearningRateTooHighWithTheDivergenceUnderIt() {
        RecordedDiagnosis d = RecordedDiagnosis.of(diverging);
        print("diverging", d);
        Incident first = d.diagnosis().first().orElseThrow();
        assertThat(first.symptom()).isIn(Symptom.LEARNING_RATE_TOO_HIGH, Symptom.LOSS_DIVERGING);
        assertThat(first.symptom()).isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
        assertThat(first.consequences()).extracting(g -> g.symptom()).contains(Symptom.LOSS_DIVERGING);
        assertThat(first.severity()).isEqualTo(Severity.ERROR);
        assertThat(first.fix()).anyMatch(f -> f.contains("new Adam(0.5)"));
        assertThat(d.hasErrors()).isTrue();
    }

    @Test
    void aDeepSigmoidStackIsAVanishingGradient() {
        RecordedDiagnosis d = RecordedDiagnosis.of(vanishing);
        print("vanishing", d);
        Incident first = d.diagnosis().first().orElseThrow();
        assertThat(first.symptom()).isEqualTo(Symptom.VANISHING_GRADIENT);
        assertThat(first.root().layers()).contains("dense1");
        assertThat(first.fix()).anyMatch(f -> f.contains("Activation.RELU"));
    }

    @Test
    void aComputationGraphRecordedEveryIterationIsReadByVertexName() {
        // StatsListener(storage, 1): a report every iteration, iteration 0 included; graph keys are vertex names
        Path healthyGraph = StatsRecordings.record(StatsRecordings.graph(new Adam(1e-3)), 1, 1,
                dir.resolve("graph-healthy.dl4j"));
        RecordedDiagnosis quiet = RecordedDiagnosis.of(healthyGraph);
        print("graph healthy", quiet);
        assertThat(quiet.run().reportingFrequency()).isEqualTo(1);
        assertThat(quiet.run().reports().get(0).iteration()).isZero();
        assertThat(quiet.run().activationLayer("dense2")).map(l -> l.name()).contains("dense2");
        assertThat(RecordedRules.snapshots(quiet.run()).get(0).parameters()).extracting(p -> p.displayName())
                .containsExactly("dense1/W", "dense1/b", "dense2/W", "dense2/b", "output/W", "output/b");
        assertThat(quiet.diagnosis().loud()).isEmpty();

        Path divergingGraph = StatsRecordings.record(StatsRecordings.graph(new Adam(0.5)), 1, 1,
                dir.resolve("graph-diverging.dl4j"));
        RecordedDiagnosis loud = RecordedDiagnosis.of(divergingGraph);
        print("graph diverging", loud);
        Incident first = loud.diagnosis().first().orElseThrow();
        assertThat(first.symptom()).isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
        assertThat(first.root().layers()).startsWith("dense1").contains("output", "dense2");
        assertThat(first.consequences()).extracting(g -> g.symptom()).contains(Symptom.LOSS_DIVERGING,
                Symptom.EXPLODING_GRADIENT);
    }

    @Test
    void aRunThatTurnedNaNOnABrokenMinibatchNamesTheData() {
        // minibatch 5 of 20 holds a NaN pixel (a broken data pipeline): the score and then the weights turn NaN;
        // StatsListener every iteration records the input's mean, NaN at iteration 5
        var batches = new java.util.ArrayList<org.nd4j.linalg.dataset.DataSet>();
        var all = StatsRecordings.data();
        for (int i = 0; i < 20; i++) {
            var b = (org.nd4j.linalg.dataset.DataSet) all.getRange(i * StatsRecordings.BATCH,
                    (i + 1) * StatsRecordings.BATCH);
            if (i == 5) {
                org.nd4j.linalg.api.ndarray.INDArray broken = b.getFeatures().dup();
                broken.putScalar(new long[] {3, 400}, Double.NaN); // one NaN pixel
                b = new org.nd4j.linalg.dataset.DataSet(broken, b.getLabels());
            }
            batches.add(b);
        }
        Path file = dir.resolve("nan.dl4j");
        FileStatsStorage storage = new FileStatsStorage(file.toFile());
        try {
            var net = StatsRecordings.mlp(new Adam(1e-3));
            net.setListeners(new org.deeplearning4j.ui.model.stats.StatsListener(storage, 1));
            for (var b : batches) {
                net.fit(b);
            }
        } finally {
            storage.close();
        }
        RecordedDiagnosis d = RecordedDiagnosis.of(file);
        print("nan", d);
        Incident first = d.diagnosis().first().orElseThrow();
        assertThat(first.symptom()).isEqualTo(Symptom.DATA_NON_FINITE);
        assertThat(first.severity()).isEqualTo(Severity.ERROR);
        assertThat(first.root().firstIteration()).isEqualTo(5);
        assertThat(d.findings()).filteredOn(f -> f.symptom() == Symptom.NON_FINITE)
                .anyMatch(f -> f.message().startsWith("the score is NaN at iteration 5"));
        assertThat(d.hasErrors()).isTrue();
    }

    @Test
    void aFileThatIsNotAFileStatsStorageIsOneLineNamingThePath() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "epoch,loss\n1,0.5\n".repeat(200), StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(text);
        assertThatThrownBy(() -> RecordedDiagnosis.of(text)).isInstanceOf(RecordedRunException.class)
                .hasMessageStartingWith(text.toString())
                .hasMessageContaining("expected a file written by new FileStatsStorage(file) with DL4J's StatsListener")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Files.readAllBytes(text)).as("the file is left as it was").isEqualTo(before);

        Path missing = dir.resolve("missing.dl4j");
        assertThatThrownBy(() -> RecordedDiagnosis.of(missing)).isInstanceOf(RecordedRunException.class)
                .hasMessageStartingWith(missing + " does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aFileStatsStorageWithoutStatsListenerRecordsIsRefused() {
        Path other = dir.resolve("debug-only.dl4j");
        FileStatsStorage storage = new FileStatsStorage(other.toFile());
        try {
            StatsStorageSink sink = StatsStorageSink.builder(storage).sessionId("only-dl4j-debug").workerId("w")
                    .build();
            sink.onFinding(Finding.builder(Symptom.LOSS_NOT_DECREASING, Severity.WARN, "a stored finding").build());
        } finally {
            storage.close();
        }
        assertThatThrownBy(() -> RecordedDiagnosis.of(other)).isInstanceOf(RecordedRunException.class)
                .hasMessageStartingWith(other + " holds no StatsListener records")
                .hasMessageContaining("only-dl4j-debug");
    }

    @Test
    void aFileStillOpenElsewhereIsRefusedAsLocked() throws Exception {
        Path copy = dir.resolve("open-elsewhere.dl4j");
        Files.copy(healthy, copy);
        FileStatsStorage open = new FileStatsStorage(copy.toFile());
        try {
            assertThatThrownBy(() -> RecordedDiagnosis.of(copy)).isInstanceOf(RecordedRunException.class)
                    .hasMessageStartingWith(copy + " is locked by another FileStatsStorage");
        } finally {
            open.close();
        }
        assertThat(RecordedDiagnosis.of(copy).diagnosis().loud()).isEmpty();
    }

    @Test
    void theMeanMagnitudeEstimateMatchesTheL2NormOfRealArrays() {
        // the derivation of MeanMagnitudes on the arrays of a real network after a few steps: weights, the raw
        // gradient and the update, each compared with its exact L2 norm
        var net = StatsRecordings.mlp(new Adam(1e-3));
        var data = StatsRecordings.data();
        var batch = (org.nd4j.linalg.dataset.DataSet) data.getRange(0, StatsRecordings.BATCH);
        for (int i = 0; i < 5; i++) {
            net.fit(batch);
        }
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        var gradients = net.gradient().gradientForVariable();
        for (var e : net.paramTable().entrySet()) {
            for (var array : List.of(e.getValue(), gradients.get(e.getKey()))) {
                double m = array.norm1Number().doubleValue() / array.length();
                double exact = array.norm2Number().doubleValue();
                assertThat(MeanMagnitudes.l2(m, array.length()) / exact).as(e.getKey())
                        .isBetween(0.6, 1.25);
            }
        }
    }
}
