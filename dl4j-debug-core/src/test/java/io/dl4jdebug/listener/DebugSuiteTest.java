package io.dl4jdebug.listener;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole suite attached in one call: silent on a healthy run, one coherent story on a broken one. */
class DebugSuiteTest {

    @Test
    void healthyRunRecordsSnapshotsAndNoFindings() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.THROW).build().attachTo(net);

        net.fit(suite.guard(FashionData.iterator(1024, 64)), 2);

        assertThat(suite.findings()).isEmpty();
        assertThat(suite.firstNonFinite()).isEmpty();
        // 32 iterations: each of the first 20 (the dense start), then 20 and 30.
        assertThat(suite.recording().gradientSnapshots()).hasSize(22);
        assertThat(suite.recording().activationSnapshots()).hasSize(22);
        assertThat(net.getListeners()).containsAll(suite.listeners());
    }

    @Test
    void checklistItemsReachEverySinkWhenTheSuiteIsBuilt() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        io.dl4jdebug.preflight.ChecklistReport report = io.dl4jdebug.preflight.QuickChecklist.withDefaults()
                .run(net, FashionData.iterator(256, 64), null);
        java.util.List<io.dl4jdebug.diagnose.ChecklistItem> received = new java.util.ArrayList<>();
        io.dl4jdebug.publish.DebugSink sink = new io.dl4jdebug.publish.DebugSink() {
            @Override
            public void onChecklist(io.dl4jdebug.diagnose.ChecklistItem item) {
                received.add(item);
            }
        };

        DebugSuite.builder().logging(false).sink(sink).checklist(report.items()).build();

        assertThat(received).isEqualTo(report.items()).isNotEmpty();
    }

    @Test
    void stopPolicyEndsComputationGraphTrainingAtTheFirstNonFiniteValue() {
        ComputationGraph net = TestNets.residual(TestNets.spec().updater(new Sgd(1e4)));
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).build().attachTo(net);

        net.fit(suite.guard(FashionData.iterator(1024, 64)), 2);

        long stoppedAt = suite.firstNonFinite().orElseThrow().iteration();
        assertThat(net.getIterationCount()).isEqualTo(stoppedAt + 1);
        assertThat(suite.findings()).extracting(Finding::symptom).contains(Symptom.NON_FINITE);
    }

    @Test
    void attachingToAnUnsupportedModelIsRefused() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        assertThatThrownBy(() -> DebugSuite.builder().build().attachTo(net.getLayer(0)))
                .hasMessageContaining("dl4j-debug supports");
    }
}
