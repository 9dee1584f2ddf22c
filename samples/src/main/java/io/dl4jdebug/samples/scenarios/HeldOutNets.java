package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

/**
 * Building blocks of the held-out scenarios ({@link HeldOutScenarios}): the data budgets, the base configuration
 * (seeded, He init, Adam(1e-3)), layers by name, a chain of layers as a MultiLayerNetwork, and the data edits some
 * bugs make. Stateless.
 */
final class HeldOutNets {

    /** Fashion-MNIST training examples of the dense and graph scenarios. */
    static final int TRAIN = 1024;
    /** Held-out examples every scenario is scored on. */
    static final int VALIDATION = 256;
    /** Training examples of the CNN and recurrent scenarios. */
    static final int SMALL_TRAIN = 512;
    /** Minibatch size. */
    static final int BATCH = 32;

    private HeldOutNets() {
    }

    /** @return the base configuration: the seed, He init, Adam(1e-3) */
    static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.RELU).updater(new Adam(1e-3));
    }

    /** @return a dense layer */
    static DenseLayer.Builder dense(String name, int units, Activation activation) {
        return new DenseLayer.Builder().name(name).nOut(units).activation(activation);
    }

    /** @return the softmax/MCXENT output layer named {@code output}, Xavier init */
    static OutputLayer.Builder softmaxOutput() {
        return new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(FashionMnist.CLASSES)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
    }

    /** @return the initialised MultiLayerNetwork of these layers over flat 784-pixel inputs */
    static MultiLayerNetwork chain(NeuralNetConfiguration.Builder base, List<Layer> layers) {
        NeuralNetConfiguration.ListBuilder b = base.list();
        layers.forEach(b::layer);
        b.setInputType(InputType.feedForward(FashionMnist.PIXELS));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /** @return the initialised graph */
    static ComputationGraph graph(ComputationGraphConfiguration conf) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** @return {@value #TRAIN} training and {@value #VALIDATION} held-out examples */
    static ScenarioSetup standard(ScenarioData d, Model net, int epochs) {
        return new ScenarioSetup(net, d.fashion().train(TRAIN), d.fashion().test(VALIDATION), BATCH, epochs);
    }

    /** @return {@value #SMALL_TRAIN} training and {@value #VALIDATION} held-out examples */
    static ScenarioSetup small(ScenarioData d, Model net, int epochs) {
        return new ScenarioSetup(net, d.fashion().train(SMALL_TRAIN), d.fashion().test(VALIDATION), BATCH, epochs);
    }

    /** @return the same examples as sequences (28 steps of 28 pixels) */
    static ScenarioSetup sequences(ScenarioData d, MultiLayerNetwork net, int epochs) {
        return new ScenarioSetup(net, FashionMnist.asSequences(d.fashion().train(SMALL_TRAIN)),
                FashionMnist.asSequences(d.fashion().test(VALIDATION)), BATCH, epochs);
    }

    /**
     * @param data one-hot labelled examples (modified)
     * @return the same examples with every label moved to the next class (9 to 0): a 1-based class id read as 0-based
     */
    static DataSet labelsShifted(DataSet data) {
        INDArray y = data.getLabels();
        int last = FashionMnist.CLASSES - 1;
        INDArray shifted = Nd4j.hstack(y.get(NDArrayIndex.all(), NDArrayIndex.interval(last, last + 1)),
                y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, last))).dup();
        data.setLabels(shifted);
        return data;
    }

    /**
     * @param data  examples (modified)
     * @param value the value to put in feature column 0 (a corner pixel, 0 in almost every image)
     * @return the same examples with that column constant
     */
    static DataSet constantColumn(DataSet data, double value) {
        data.getFeatures().get(NDArrayIndex.all(), NDArrayIndex.point(0)).assign(value);
        return data;
    }
}
