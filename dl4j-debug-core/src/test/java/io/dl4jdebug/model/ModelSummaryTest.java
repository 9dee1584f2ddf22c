package io.dl4jdebug.model;

import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSummaryTest {

    @Test
    void mlpRowsMatchANaiveCount() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().hidden(16)); // Adam: 2 state values per parameter
        ModelSummary s = ModelSummary.of(net, InputType.feedForward(784), 32);

        assertThat(s.layers()).extracting(LayerSummary::name).containsExactly("h0", "out");
        LayerSummary h0 = s.layers().get(0);
        assertThat(h0.type()).isEqualTo("DenseLayer");
        assertThat(h0.inputShape()).isEqualTo("[32, 784]");
        assertThat(h0.outputShape()).isEqualTo("[32, 16]");
        assertThat(h0.parameters()).isEqualTo(784 * 16 + 16);
        assertThat(h0.parameterBytes()).isEqualTo(4L * (784 * 16 + 16));
        assertThat(h0.gradientBytes()).isEqualTo(h0.parameterBytes());
        assertThat(h0.updaterStateBytes()).isEqualTo(2 * h0.parameterBytes());
        assertThat(h0.activationBytes()).isEqualTo(4L * 32 * 16);
        assertThat(h0.activationGradientBytes()).isEqualTo(4L * 32 * 784);
        assertThat(s.layers().get(1).outputShape()).isEqualTo("[32, 10]");
        assertThat(s.totalParameters()).isEqualTo(net.numParams());
        assertThat(s.measuredUpdaterStateBytes()).isEqualTo(s.estimatedUpdaterStateBytes())
                .isEqualTo(2 * 4L * net.numParams());
        assertThat(s.trainingBytes()).isGreaterThan(s.inferenceBytes()).isGreaterThan(s.parameterBytes());
        assertThat(s.toText()).contains("h0", "DenseLayer", "[32, 16]", "12,560", "Total parameters: 12,730");
        assertThat(net.getIterationCount()).isZero();
    }

    @Test
    void graphSummaryListsVerticesAndInfersTheInputFromFeatures() {
        ComputationGraph g = TestNets.residual(TestNets.spec().hidden(16).updater(new Sgd(0.1)));
        ModelSummary s = ModelSummary.of(g, Nd4j.zeros(5, 784), 8);
        assertThat(s.layers()).extracting(LayerSummary::name).containsExactly("h0", "r1", "r2", "add", "out");
        LayerSummary add = s.layers().get(3);
        assertThat(add.type()).isEqualTo("ElementWiseVertex");
        assertThat(add.parameters()).isZero();
        assertThat(add.outputShape()).isEqualTo("[8, 16]");
        assertThat(s.totalParameters()).isEqualTo(g.numParams());
        assertThat(s.measuredUpdaterStateBytes()).as("Sgd keeps no state").isZero();
    }

    @Test
    void badBatchSizeIsRefused() {
        assertThatThrownBy(() -> ModelSummary.of(TestNets.mlp(TestNets.spec()), InputType.feedForward(784), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSize must be >= 1 but was 0");
    }
}
