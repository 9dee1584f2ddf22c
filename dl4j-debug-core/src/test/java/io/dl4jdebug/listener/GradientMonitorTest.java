package io.dl4jdebug.listener;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;
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
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gradient monitor reports vanishing and exploding gradients on real runs and stays silent on healthy ones. */
class GradientMonitorTest {

    private static TestNets.Spec deepSigmoid() {
        int[] hidden = new int[12];
        Arrays.fill(hidden, 32);
        return TestNets.spec().activation(Activation.SIGMOID).hidden(hidden).weightInit(WeightInit.XAVIER)
                .updater(new Sgd(0.1));
    }

    private static List<Finding> train(Model net, DataSetIterator data, int epochs) {
        RecordingSink sink = new RecordingSink();
        ModelView.of(net).addListeners(GradientMonitor.withDefaults(sink));
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(data, epochs);
        } else {
            ((ComputationGraph) net).fit(data, epochs);
        }
        return sink.findings();
    }

    private static List<String> located(List<Finding> findings, Symptom symptom) {
        return findings.stream().filter(f -> f.symptom() == symptom).map(f -> f.layer() + "/" + f.parameter())
                .toList();
    }

    @Test
    void deepSigmoidMlpReportsVanishingGradientsOnItsEarliestLayers() {
        List<Finding> findings = train(TestNets.mlp(deepSigmoid()), FashionData.iterator(1024, 64), 1);

        List<String> vanishing = located(findings, Symptom.VANISHING_GRADIENT);
        assertThat(vanishing).contains("h0/W", "h0/b").doesNotContain("out/W", "out/b", "h11/W");
        Finding first = findings.stream().filter(f -> f.symptom() == Symptom.VANISHING_GRADIENT).findFirst()
                .orElseThrow();
        assertThat(first.level()).isEqualTo(Level.NUMERICAL);
        assertThat(first.evidence().get("gradientNorm")).isLessThan(1e-6);
        assertThat(first.evidence()).containsEntry("threshold", 1e-6);
        assertThat(first.suggestions()).anyMatch(s -> s.contains("Activation.RELU"));
    }

    @Test
    void deepSigmoidGraphReportsVanishingGradientsOnItsEarliestLayers() {
        List<Finding> findings = train(TestNets.residual(deepSigmoid()), FashionData.iterator(1024, 64), 1);

        assertThat(located(findings, Symptom.VANISHING_GRADIENT)).contains("h0/W", "h0/b")
                .doesNotContain("out/W", "out/b");
    }

    @Test
    void unscaledPixelsMakeTheFirstLayerGradientExplode() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Sgd(1e-6)));

        List<Finding> findings = train(net, FashionData.rawIterator(1024, 64), 1);

        assertThat(located(findings, Symptom.EXPLODING_GRADIENT)).contains("h0/W");
        Finding f = findings.stream().filter(x -> x.symptom() == Symptom.EXPLODING_GRADIENT).findFirst().orElseThrow();
        assertThat(f.evidence().get("gradientNorm")).isGreaterThan(100);
        assertThat(f.suggestions()).anyMatch(s -> s.contains("GradientNormalization.ClipL2PerLayer"));
    }

    @Test
    void healthyNetworksReportNothing() {
        assertThat(train(TestNets.mlp(TestNets.spec()), FashionData.iterator(1024, 64), 2)).isEmpty();
        assertThat(train(TestNets.residual(TestNets.spec()), FashionData.iterator(1024, 64), 2)).isEmpty();
        assertThat(train(TestNets.mlp(TestNets.spec().activation(Activation.TANH).weightInit(WeightInit.XAVIER)),
                FashionData.iterator(1024, 64), 2)).isEmpty();
    }
}
