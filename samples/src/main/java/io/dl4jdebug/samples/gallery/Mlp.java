package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Objects;

/**
 * The gallery's Fashion-MNIST classifier: dense hidden layers named {@code dense1}, {@code dense2}, ... and a softmax
 * output named {@code output}, built from a few options so that a buggy and a fixed sample differ in exactly one
 * place. Defaults: seed 42, hidden 128-64, ReLU, He init, bias 0, Adam(1e-3). Not thread safe.
 */
final class Mlp {

    private long seed = 42;
    private int[] hidden = {128, 64};
    private Activation activation = Activation.RELU;
    private WeightInit weightInit = WeightInit.RELU;
    private double biasInit;
    private IUpdater updater = new Adam(1e-3);
    private int overriddenLayer = -1;
    private IUpdater layerUpdater;
    private double l2;

    private Mlp() {
    }

    /** @return a builder holding the defaults */
    static Mlp builder() {
        return new Mlp();
    }

    /**
     * @param data the gallery's data (its seed is used)
     * @return a builder holding the defaults and the data's seed
     */
    static Mlp seededBy(GalleryData data) {
        return new Mlp().seed(data.seed());
    }

    Mlp seed(long s) {
        this.seed = s;
        return this;
    }

    Mlp hidden(int... sizes) {
        this.hidden = sizes.clone();
        return this;
    }

    Mlp activation(Activation a) {
        this.activation = Objects.requireNonNull(a);
        return this;
    }

    Mlp weightInit(WeightInit w) {
        this.weightInit = Objects.requireNonNull(w);
        return this;
    }

    /** Bias init of the hidden layers (the output layer's bias starts at 0). */
    Mlp biasInit(double b) {
        this.biasInit = b;
        return this;
    }

    Mlp updater(IUpdater u) {
        this.updater = Objects.requireNonNull(u);
        return this;
    }

    /** A per-layer updater on hidden layer {@code index} (0-based), overriding the global one. */
    Mlp layerUpdater(int index, IUpdater u) {
        this.overriddenLayer = index;
        this.layerUpdater = Objects.requireNonNull(u);
        return this;
    }

    Mlp l2(double l2) {
        this.l2 = l2;
        return this;
    }

    /** @return the initialised network */
    MultiLayerNetwork build() {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(weightInit).l2(l2).list();
        for (int i = 0; i < hidden.length; i++) {
            DenseLayer.Builder d = new DenseLayer.Builder().name("dense" + (i + 1)).nOut(hidden[i])
                    .activation(activation).biasInit(biasInit);
            if (i == overriddenLayer) {
                d.updater(layerUpdater);
            }
            b.layer(d.build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                .biasInit(0.0).build());
        b.setInputType(InputType.feedForward(FashionMnist.PIXELS));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }
}
