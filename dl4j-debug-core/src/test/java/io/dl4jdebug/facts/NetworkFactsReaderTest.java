package io.dl4jdebug.facts;

import io.dl4jdebug.diagnose.LayerFacts;
import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkFactsReaderTest {

    @Test
    void readsWhatEachLayerIsConfiguredWithOnAMultiLayerNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.02)).l2(1e-3)
                .list()
                .layer(new DenseLayer.Builder().name("d").nIn(4).nOut(8).activation(Activation.RELU).biasInit(-2)
                        .dropOut(0.3).build())
                .layer(new BatchNormalization.Builder().name("bn").nOut(8).gamma(0.0).decay(1.0).build())
                .layer(new DenseLayer.Builder().name("frozen").nIn(8).nOut(8).updater(new Sgd(0.0)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        NetworkFacts facts = NetworkFactsReader.read(net);

        LayerFacts d = facts.layer("d").orElseThrow();
        assertThat(d.canDie()).isTrue();
        assertThat(d.biasInit().getAsDouble()).isEqualTo(-2.0);
        assertThat(d.dropoutRetain().getAsDouble()).isEqualTo(0.3);
        assertThat(d.l2()).isEqualTo(1e-3);
        assertThat(d.updater()).isEqualTo("Adam");
        assertThat(d.learningRate().getAsDouble()).isEqualTo(0.02);
        LayerFacts bn = facts.layer("bn").orElseThrow();
        assertThat(bn.isBatchNorm()).isTrue();
        assertThat(bn.gamma().getAsDouble()).isZero();
        assertThat(bn.decay().getAsDouble()).isEqualTo(1.0);
        assertThat(bn.inputs()).containsExactly("d");
        assertThat(facts.layer("frozen").orElseThrow().learningRate().getAsDouble()).isZero();
        assertThat(facts.typicalUpdater().orElseThrow().learningRate().getAsDouble()).isEqualTo(0.02);
        assertThat(facts.lossFunction()).containsIgnoringCase("mse");
        assertThat(facts.outputActivation()).containsIgnoringCase("softmax");
        assertThat(facts.layer("out").orElseThrow().outputLayer()).isTrue();
    }

    @Test
    void readsGraphInputsOfAComputationGraph() {
        NetworkFacts facts = NetworkFactsReader.read(TestNets.residual(TestNets.spec()));
        assertThat(facts.layer("add").orElseThrow().inputs()).containsExactly("h1", "r2");
        assertThat(facts.consumers("r2")).extracting(LayerFacts::name).containsExactly("add");
        assertThat(facts.layer("add").orElseThrow().trainable()).isFalse();
        assertThat(facts.position("out")).isGreaterThan(facts.position("add"));
    }
}
