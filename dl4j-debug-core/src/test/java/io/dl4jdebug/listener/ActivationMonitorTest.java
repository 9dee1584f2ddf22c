package io.dl4jdebug.listener;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The activation monitor reports dead and saturated units on real runs and stays silent on healthy ones. */
class ActivationMonitorTest {

    private static RecordingSink train(Model net, DataSetIterator data, int epochs) {
        RecordingSink sink = new RecordingSink();
        ModelView.of(net).addListeners(ActivationMonitor.withDefaults(sink));
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(data, epochs);
        } else {
            ((ComputationGraph) net).fit(data, epochs);
        }
        return sink;
    }

    private static List<String> layersWith(RecordingSink sink, Symptom symptom) {
        return sink.findings().stream().filter(f -> f.symptom() == symptom).map(Finding::layer).toList();
    }

    @Test
    void reluWithVeryNegativeBiasesReportsDeadUnitsPerLayer() {
        RecordingSink sink = train(TestNets.mlp(TestNets.spec().biasInit(-5)), FashionData.iterator(1024, 64), 2);

        assertThat(layersWith(sink, Symptom.DEAD_UNITS)).containsExactly("h0", "h1");
        Finding f = sink.findings().get(0);
        assertThat(f.level()).isEqualTo(Level.NUMERICAL);
        assertThat(f.evidence().get("deadFraction")).isGreaterThanOrEqualTo(0.5);
        assertThat(f.suggestions()).anyMatch(s -> s.contains(".biasInit("));
        ActivationStats h0 = sink.activationSnapshots().get(0).layers().get(0);
        assertThat(h0.deadUnits()).isEqualTo(h0.units());
    }

    @Test
    void residualGraphWithVeryNegativeBiasesReportsDeadUnits() {
        RecordingSink sink = train(TestNets.residual(TestNets.spec().biasInit(-5)), FashionData.iterator(1024, 64), 2);

        assertThat(layersWith(sink, Symptom.DEAD_UNITS)).contains("h0", "h1", "r1");
    }

    @Test
    void tanhOnUnscaledPixelsReportsSaturation() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().activation(Activation.TANH)
                .weightInit(WeightInit.XAVIER));

        RecordingSink sink = train(net, FashionData.rawIterator(1024, 64), 2);

        assertThat(layersWith(sink, Symptom.SATURATED_ACTIVATIONS)).contains("h0");
        Finding f = sink.findings().stream().filter(x -> x.symptom() == Symptom.SATURATED_ACTIVATIONS).findFirst()
                .orElseThrow();
        assertThat(f.suggestions()).anyMatch(s -> s.contains("NormalizerStandardize"));
    }

    @Test
    void healthyNetworksReportNothing() {
        assertThat(train(TestNets.mlp(TestNets.spec()), FashionData.iterator(1024, 64), 2).findings()).isEmpty();
        assertThat(train(TestNets.residual(TestNets.spec()), FashionData.iterator(1024, 64), 2).findings()).isEmpty();
        assertThat(train(TestNets.mlp(TestNets.spec().activation(Activation.TANH).weightInit(WeightInit.XAVIER)),
                FashionData.iterator(1024, 64), 2).findings()).isEmpty();
    }
}
