package io.dl4jdebug.spark;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.listener.NonFiniteException;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.NonFiniteEvent;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite on DL4J's Spark training in local mode (local[2]), ParameterAveragingTrainingMaster. */
class SparkDebugLocalModeTest {

    @Test
    void healthyNetworkIsSilent() {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SparkTesting.context(), SparkTesting.mlp(new Adam(1e-3)),
                SparkTesting.master());
        DataSet valid = FashionMnist.load(FashionMnist.Split.TEST, 256);
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        try (SparkDebugSession debug = SparkDebug.attach(spark, storage, SparkDebugOptions.builder()
                .validation(new ListDataSetIterator<>(valid.batchBy(128), 128)).workerWindow(20)
                .workerLogging(false).build())) {
            var train = SparkTesting.train(1280);
            for (int epoch = 0; epoch < 2; epoch++) {
                spark.fit(train);
                debug.endEpoch();
            }
            System.out.println("healthy workers " + debug.workers() + " findings " + debug.workerFindings()
                    + " driver " + debug.driverFindings() + " loss " + debug.lossSummary());
            assertThat(debug.workers()).hasSize(2);
            assertThat(debug.findings()).filteredOn(f -> f.severity() != Severity.INFO).isEmpty();
            assertThat(debug.diagnosis().loud()).isEmpty();
            assertThat(debug.firstNonFinite()).isEmpty();
        }
    }

    @Test
    void divergingNetworkNamesTheWorkerOfItsFirstNaN() {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SparkTesting.context(), SparkTesting.mlp(new Sgd(1e4)),
                SparkTesting.master());
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        try (SparkDebugSession debug = SparkDebug.attach(spark, storage, SparkDebugOptions.builder()
                .workerWindow(20).workerLogging(false).build())) {
            spark.fit(SparkTesting.train(640));
            debug.endEpoch();
            System.out.println("diverging workers " + debug.workers() + " findings " + debug.findings()
                    + " nan " + debug.nonFiniteEvents());
            NonFiniteEvent first = debug.firstNonFinite().orElseThrow();
            assertThat(debug.workers()).contains(first.worker());
            List<Finding> nonFinite = debug.findings().stream().filter(f -> f.symptom() == Symptom.NON_FINITE)
                    .toList();
            assertThat(nonFinite).hasSize(1);
            assertThat(WorkerMerge.workers(nonFinite.get(0))).isNotEmpty().isSubsetOf(debug.workers());
            assertThat(nonFinite.get(0).firstIteration()).isEqualTo(first.iteration());
        }
    }

    @Test
    void divergingComputationGraphNamesTheWorkerOfItsFirstNaN() {
        SparkComputationGraph spark = new SparkComputationGraph(SparkTesting.context(),
                SparkTesting.graph(new Sgd(1e4)), SparkTesting.master());
        try (SparkDebugSession debug = SparkDebug.attach(spark, new InMemoryStatsStorage(), SparkDebugOptions
                .builder().workerLogging(false).build())) {
            spark.fit(SparkTesting.train(640));
            debug.endEpoch();
            NonFiniteEvent first = debug.firstNonFinite().orElseThrow();
            assertThat(debug.workers()).hasSize(2).contains(first.worker());
            // Sgd(1e4): the learning rate is the root cause once the rate check has seen its measurements (the
            // default schedule measures each of the first 20 iterations); the NaN it leads to is named with its
            // worker either way.
            assertThat(debug.diagnosis().first().orElseThrow().symptom())
                    .isIn(Symptom.LEARNING_RATE_TOO_HIGH, Symptom.NON_FINITE);
            assertThat(debug.findings()).filteredOn(f -> f.symptom() == Symptom.NON_FINITE).singleElement()
                    .satisfies(f -> assertThat(WorkerMerge.workers(f)).contains(first.worker()));
        }
    }

    @Test
    void policyThrowFailsTheSparkJobWithTheNonFiniteException() {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SparkTesting.context(), SparkTesting.mlp(new Sgd(1e4)),
                SparkTesting.master());
        try (SparkDebugSession debug = SparkDebug.attach(spark, new InMemoryStatsStorage(), SparkDebugOptions
                .builder().nanPolicy(NanPolicy.THROW).workerLogging(false).build())) {
            assertThatThrownBy(() -> spark.fit(SparkTesting.train(640)))
                    .hasStackTraceContaining(NonFiniteException.class.getName())
                    .hasStackTraceContaining("first non-finite value at iteration");
        }
    }
}
