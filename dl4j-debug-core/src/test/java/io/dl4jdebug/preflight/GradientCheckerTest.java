package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static io.dl4jdebug.preflight.PreflightNets.IN;
import static io.dl4jdebug.preflight.PreflightNets.base;
import static io.dl4jdebug.preflight.PreflightNets.build;
import static io.dl4jdebug.preflight.PreflightNets.slice;
import static io.dl4jdebug.preflight.PreflightNets.softmaxOut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GradientCheckerTest {

    private static final DataSet DATA = slice(0, 4);
    private static final GradientChecker CHECKER = new GradientChecker(GradientCheckConfig.builder()
            .maxPerParameter(10).build());

    private static DenseLayer layer(String name, int nIn, int nOut, IActivation activation) {
        return new DenseLayer.Builder().name(name).nIn(nIn).nOut(nOut).activation(activation).build();
    }

    /** 784 -> h0 (tanh) -> h1 (tanh or the wrong tanh) -> softmax. */
    private static MultiLayerNetwork mlp(IActivation h1) {
        return build(base().weightInit(WeightInit.XAVIER), layer("h0", IN, 8, Activation.TANH.getActivationFunction()),
                layer("h1", 8, 8, h1), softmaxOut(8));
    }

    @Test
    void healthyNetworkPassesAndNothingGlobalChanges() {
        MultiLayerNetwork net = mlp(Activation.TANH.getActivationFunction());
        INDArray before = net.params().dup();
        DataType defaultBefore = Nd4j.defaultFloatingPointType();

        GradientCheckReport report = CHECKER.check(net, DATA);

        assertThat(report.passed()).as(report.toText()).isTrue();
        assertThat(report.dl4j()).contains(true);
        assertThat(report.findings()).isEmpty();
        assertThat(report.parameters()).extracting(ParameterCheck::displayName)
                .containsExactly("h0/W", "h0/b", "h1/W", "h1/b", "out/W", "out/b");
        assertThat(report.parameters()).allSatisfy(p -> {
            assertThat(p.entriesChecked()).isPositive();
            assertThat(p.maxRelativeError()).isLessThan(1e-5);
        });
        assertThat(net.params()).isEqualTo(before);
        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(Nd4j.defaultFloatingPointType()).isEqualTo(defaultBefore);
    }

    @Test
    void wrongBackwardPassFailsNamingTheLayerAndParameter() {
        GradientCheckReport report = CHECKER.check(mlp(new WrongTanh()), DATA);

        assertThat(report.passed()).isFalse();
        assertThat(report.dl4j()).contains(false);
        assertThat(report.origin()).hasValueSatisfying(p -> assertThat(p.layer()).isEqualTo("h1"));
        assertThat(report.parameter("out", "W").orElseThrow().passed()).isTrue();
        assertThat(report.parameter("h1", "W").orElseThrow().maxRelativeError()).isGreaterThan(0.1);
        Finding first = report.findings().get(0);
        assertThat(first.symptom()).isEqualTo(Symptom.GRADIENT_CHECK_FAILED);
        assertThat(first.level()).isEqualTo(Level.CODE);
        assertThat(first.layer()).isEqualTo("h1");
        assertThat(first.parameter()).isIn("W", "b");
        assertThat(first.message()).contains("nearest the output");
        assertThat(report.findings()).extracting(Finding::layer).doesNotContain("out");
    }

    @Test
    void healthyResidualGraphPasses() {
        ComputationGraph g = new ComputationGraph(base().weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("h0", layer("h0", IN, 8, Activation.TANH.getActivationFunction()), "in")
                .addLayer("r1", layer("r1", 8, 8, Activation.TANH.getActivationFunction()), "h0")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "h0", "r1")
                .addLayer("out", softmaxOut(8), "add").setOutputs("out").build());
        g.init();
        GradientCheckReport report = CHECKER.check(g, DATA);
        assertThat(report.passed()).as(report.toText()).isTrue();
        assertThat(report.parameters()).hasSize(6);
        // DL4J's graph check would perturb all 6,378 parameters: skipped above the limit
        assertThat(report.dl4j()).isEmpty();
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> GradientCheckConfig.builder().epsilon(0).build())
                .hasMessage("epsilon must be in (0, 0.1] but was 0.0");
        assertThatThrownBy(() -> CHECKER.check(mlp(Activation.TANH.getActivationFunction()),
                new DataSet(DATA.getFeatures(), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no labels");
    }
}
