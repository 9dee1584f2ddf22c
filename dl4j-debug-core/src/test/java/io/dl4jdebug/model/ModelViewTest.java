package io.dl4jdebug.model;

import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelViewTest {

    @Test
    void multiLayerNetworkLayersAndParametersInOrder() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());

        ModelView view = ModelView.of(net);

        assertThat(view.kind()).isEqualTo(ModelKind.MULTI_LAYER_NETWORK);
        assertThat(view.layers()).extracting(LayerInfo::name).containsExactly("h0", "h1", "out");
        assertThat(view.layers()).extracting(LayerInfo::type)
                .containsExactly("DenseLayer", "DenseLayer", "OutputLayer");
        assertThat(view.layers()).extracting(LayerInfo::activationKind)
                .containsExactly(ActivationKind.RELU_LIKE, ActivationKind.RELU_LIKE, ActivationKind.SOFTMAX);
        assertThat(view.layers()).extracting(LayerInfo::outputLayer).containsExactly(false, false, true);
        assertThat(view.parameters()).extracting(ParameterInfo::flatKey)
                .containsExactly("0_W", "0_b", "1_W", "1_b", "2_W", "2_b");
        assertThat(view.parameters()).extracting(ParameterInfo::displayName)
                .containsExactly("h0/W", "h0/b", "h1/W", "h1/b", "out/W", "out/b");
        assertThat(view.parameters().get(0).length()).isEqualTo(784L * 64);
        assertThat(view.outputLayerName()).isEqualTo("out");
    }

    @Test
    void computationGraphIncludesParameterFreeVerticesInTopologicalOrder() {
        ComputationGraph graph = TestNets.residual(TestNets.spec());

        ModelView view = ModelView.of(graph);

        assertThat(view.kind()).isEqualTo(ModelKind.COMPUTATION_GRAPH);
        assertThat(view.layers()).extracting(LayerInfo::name).containsExactly("h0", "h1", "r1", "r2", "add", "out");
        LayerInfo add = view.layer("add").orElseThrow();
        assertThat(add.hasLayer()).isFalse();
        assertThat(add.parameters()).isEmpty();
        assertThat(view.parameters()).extracting(ParameterInfo::flatKey).contains("h0_W", "r2_b", "out_W");
    }

    @Test
    void batchNormRunningStatisticsAndFrozenLayersAreNotTrainable() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY)
                        .build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("frozen", new FrozenLayerWithBackprop(new ConvolutionLayer.Builder(3, 3).nOut(4)
                        .activation(Activation.TANH).build()), "bn")
                .addLayer("gap", new GlobalPoolingLayer(), "frozen")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").build());
        graph.init();

        ModelView view = ModelView.of(graph);

        assertThat(view.layer("bn").orElseThrow().parameters()).extracting(ParameterInfo::key, ParameterInfo::role)
                .contains(org.assertj.core.groups.Tuple.tuple("gamma", ParameterRole.TRAINABLE),
                        org.assertj.core.groups.Tuple.tuple("beta", ParameterRole.TRAINABLE),
                        org.assertj.core.groups.Tuple.tuple("mean", ParameterRole.RUNNING_STATISTIC));
        LayerInfo frozen = view.layer("frozen").orElseThrow();
        assertThat(frozen.type()).isEqualTo("ConvolutionLayer");
        assertThat(frozen.activationKind()).isEqualTo(ActivationKind.TANH);
        assertThat(frozen.parameters()).extracting(ParameterInfo::role).containsOnly(ParameterRole.FROZEN);
        assertThat(view.layer("gap").orElseThrow().activationKind()).isEqualTo(ActivationKind.NONE);
        // DL4J's default activation (sigmoid) sits in the BatchNormalization's configuration but is never applied.
        assertThat(view.layer("bn").orElseThrow().activation()).isEqualTo("none");
        assertThat(view.layer("bn").orElseThrow().activationKind()).isEqualTo(ActivationKind.NONE);
    }

    @Test
    void unsupportedModelTypeIsRefusedWithItsName() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(0);

        assertThatThrownBy(() -> ModelView.of(layer))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining(layer.getClass().getName())
                .hasMessageContaining("MultiLayerNetwork").hasMessageContaining("ComputationGraph");
        assertThatThrownBy(() -> ModelView.of(null)).hasMessageContaining("was given null");
    }

    @Test
    void uninitialisedNetworkIsRefusedWithTheFix() {
        MultiLayerNetwork net = new MultiLayerNetwork(TestNets.mlp(TestNets.spec()).getLayerWiseConfigurations());

        assertThatThrownBy(() -> ModelView.of(net)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("net.init()");
    }

    @Test
    void activationNamesAreClassified() {
        assertThat(ActivationKind.classify("relu")).isEqualTo(ActivationKind.RELU_LIKE);
        assertThat(ActivationKind.classify("leakyrelu(a=0.01)")).isEqualTo(ActivationKind.RECTIFIER_WITH_LEAK);
        assertThat(ActivationKind.classify("tanh")).isEqualTo(ActivationKind.TANH);
        assertThat(ActivationKind.classify("hardsigmoid")).isEqualTo(ActivationKind.SIGMOID);
        assertThat(ActivationKind.classify("softsign")).isEqualTo(ActivationKind.SOFTSIGN);
        assertThat(ActivationKind.classify("identity")).isEqualTo(ActivationKind.IDENTITY);
        assertThat(ActivationKind.classify(null)).isEqualTo(ActivationKind.NONE);
        assertThat(ActivationKind.classify("cube")).isEqualTo(ActivationKind.OTHER);
        assertThat(ActivationKind.TANH.lowerBound()).hasValue(-1.0);
        assertThat(ActivationKind.RELU_LIKE.isBounded()).isFalse();
    }
}
