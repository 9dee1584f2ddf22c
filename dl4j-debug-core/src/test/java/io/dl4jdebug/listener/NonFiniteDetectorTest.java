package io.dl4jdebug.listener;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.StepReplay;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Fashion-MNIST network trained with a learning rate far too high diverges to NaN/Inf; the detector must name the
 * same iteration, kind and first layer as an independent step-by-step replay, and apply its policy.
 */
class NonFiniteDetectorTest {

    private static final int EXAMPLES = 1024;
    private static final int BATCH = 64;
    private static final int BATCHES = EXAMPLES / BATCH;

    private static MultiLayerNetwork divergingMlp() {
        return TestNets.mlp(TestNets.spec().updater(new Sgd(1e4)));
    }

    private static ComputationGraph divergingGraph() {
        return TestNets.residual(TestNets.spec().updater(new Sgd(1e4)));
    }

    private static List<DataSet> batches() {
        return FashionData.train(EXAMPLES).batchBy(BATCH);
    }

    private static DataSetIterator iterator() {
        return new ListDataSetIterator<>(batches(), 1);
    }

    private static void fit(Model net, DataSetIterator it) {
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(it);
        } else {
            ((ComputationGraph) net).fit(it);
        }
    }

    private static long iterations(Model net) {
        return net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).getIterationCount()
                : ((ComputationGraph) net).getIterationCount();
    }

    @Test
    void logPolicyNamesTheSameLocationAsAStepByStepReplayOnMultiLayerNetwork() {
        assertMatchesReplay(NonFiniteDetectorTest::divergingMlp);
    }

    @Test
    void logPolicyNamesTheSameLocationAsAStepByStepReplayOnComputationGraph() {
        assertMatchesReplay(NonFiniteDetectorTest::divergingGraph);
    }

    private static void assertMatchesReplay(Supplier<Model> factory) {
        StepReplay.Found expected = StepReplay.firstNonFinite(factory.get(), batches()).orElseThrow(
                () -> new AssertionError("the diverging network never produced a non-finite value"));

        Model net = factory.get();
        RecordingSink sink = new RecordingSink();
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.LOG, sink);
        ModelView.of(net).addListeners(detector);
        fit(net, iterator());

        NonFiniteEvent event = detector.firstEvent().orElseThrow();
        assertThat(event.iteration()).isEqualTo(expected.iteration());
        assertThat(event.kind()).isEqualTo(expected.kind());
        assertThat(expected.names(event.layer(), event.parameter()))
                .as("replay origins %s, detector named %s/%s", expected.origins(), event.layer(), event.parameter())
                .isTrue();
        assertThat(event.count()).isPositive().isLessThanOrEqualTo(event.total());
        // LOG goes on: every batch was trained, and the event was reported once.
        assertThat(iterations(net)).isEqualTo(BATCHES);
        assertThat(sink.nonFiniteEvents()).containsExactly(event);
        Finding finding = sink.findings().get(0);
        assertThat(finding.symptom()).isEqualTo(Symptom.NON_FINITE);
        assertThat(finding.severity()).isEqualTo(Severity.ERROR);
        assertThat(finding.level()).isEqualTo(Level.NUMERICAL);
        assertThat(finding.layer()).isEqualTo(event.layer());
        assertThat(finding.firstIteration()).isEqualTo(expected.iteration());
    }

    @Test
    void throwPolicyStopsFitWithTheLocationInTheMessage() {
        MultiLayerNetwork net = divergingMlp();
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.THROW);
        net.addListeners(detector);

        assertThatThrownBy(() -> net.fit(iterator()))
                .isInstanceOf(NonFiniteException.class)
                .satisfies(e -> {
                    NonFiniteEvent event = ((NonFiniteException) e).event();
                    assertThat(e.getMessage()).contains("iteration " + event.iteration())
                            .contains("'" + event.layer() + "'").contains(event.count() + " of " + event.total());
                    assertThat(iterations(net)).isEqualTo(event.iteration());
                });
    }

    @Test
    void throwPolicyStopsComputationGraphFit() {
        ComputationGraph net = divergingGraph();
        net.addListeners(NonFiniteDetector.withPolicy(NanPolicy.THROW));

        assertThatThrownBy(() -> net.fit(iterator())).isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("first non-finite value at iteration");
    }

    @Test
    void stopPolicyEndsTrainingCleanlyAfterTheIteration() {
        MultiLayerNetwork net = divergingMlp();
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.STOP);
        net.addListeners(detector);

        net.fit(detector.guard(iterator()), 3);

        NonFiniteEvent event = detector.firstEvent().orElseThrow();
        assertThat(detector.stopRequested()).isTrue();
        assertThat(iterations(net)).isEqualTo(event.iteration() + 1);
    }

    @Test
    void nonFiniteFeaturesAreReportedAsDataProblem() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        List<DataSet> batches = batches();
        batches.get(2).getFeatures().putScalar(5, 100, Double.NaN);
        RecordingSink sink = new RecordingSink();
        net.addListeners(NonFiniteDetector.withPolicy(NanPolicy.LOG, sink));

        net.fit(new ListDataSetIterator<>(batches, 1));

        NonFiniteEvent event = sink.firstNonFinite().orElseThrow();
        assertThat(event.kind()).isEqualTo(NonFiniteEvent.Kind.INPUT);
        assertThat(event.iteration()).isEqualTo(2);
        assertThat(event.count()).isEqualTo(1);
        assertThat(sink.findings()).extracting(Finding::symptom).containsExactly(Symptom.DATA_NON_FINITE);
    }

    /**
     * Weights spoiled between two scheduled parameter checks (here by user code after iteration 24, as a faulty
     * custom update or a restored checkpoint would): the next forward pass turns non-finite at that layer, and the
     * detector checks the layer's parameters before blaming its output.
     */
    @Test
    void aWeightSpoiledBetweenScheduledChecksIsNamedAsTheParameterAtTheNextForwardPass() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Adam(1e-3)));
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.LOG);
        net.addListeners(detector);
        List<DataSet> data = batches();
        for (int i = 0; i < 25; i++) {
            net.fit(data.get(i % data.size()));
        }
        assertThat(detector.firstEvent()).isEmpty();
        String middle = net.getLayer(1).conf().getLayer().getLayerName();
        net.getLayer(1).getParam("W").putScalar(0, 3, Double.NaN);

        net.fit(data.get(0));

        NonFiniteEvent e = detector.firstEvent().orElseThrow();
        assertThat(e.kind()).isEqualTo(NonFiniteEvent.Kind.PARAMETER);
        assertThat(e.layer()).isEqualTo(middle);
        assertThat(e.parameter()).isEqualTo("W");
        assertThat(e.count()).isEqualTo(1);
        assertThat(e.iteration()).as("the last update before the forward pass that found it").isEqualTo(24);
    }

    @Test
    void healthyRunsReportNothing() {
        MultiLayerNetwork mlp = TestNets.mlp(TestNets.spec().updater(new Adam(1e-3)));
        ComputationGraph graph = TestNets.residual(TestNets.spec().updater(new Adam(1e-3)));
        RecordingSink sink = new RecordingSink();
        NonFiniteDetector onMlp = NonFiniteDetector.withPolicy(NanPolicy.THROW, sink);
        NonFiniteDetector onGraph = NonFiniteDetector.withPolicy(NanPolicy.THROW, sink);
        mlp.addListeners(onMlp);
        graph.addListeners(onGraph);

        mlp.fit(iterator(), 2);
        graph.fit(iterator(), 2);

        assertThat(onMlp.firstEvent()).isEmpty();
        assertThat(onGraph.firstEvent()).isEmpty();
        assertThat(sink.findings()).isEmpty();
        assertThat(mlp.getIterationCount()).isEqualTo(2 * BATCHES);
    }
}
