package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Objects;

/**
 * The gallery's recurrent Fashion-MNIST classifier: each image read as 28 time steps of 28 pixels (a standard DL4J
 * example), a {@code SimpleRnn} layer named {@code rnn} inside {@code LastTimeStep}, and a softmax output named
 * {@code output}. Defaults: 32 units, Xavier init, SGD(0.1), no clipping. Not thread safe.
 */
final class SequenceClassifier {

    private long seed = 42;
    private int units = 32;
    private IWeightInit weightInit = WeightInit.XAVIER.getWeightInitFunction();
    private IWeightInit recurrentInit;
    private IUpdater updater = new Sgd(0.1);
    private GradientNormalization clipping = GradientNormalization.None;

    private SequenceClassifier() {
    }

    /**
     * @param data the gallery's data (its seed is used)
     * @return a builder with the defaults and the data's seed
     */
    static SequenceClassifier seededBy(GalleryData data) {
        SequenceClassifier s = new SequenceClassifier();
        s.seed = data.seed();
        return s;
    }

    SequenceClassifier units(int n) {
        this.units = n;
        return this;
    }

    /** Weights drawn from N(0, std) for the recurrent layer (input and recurrent weights). */
    SequenceClassifier normalInit(double std) {
        this.weightInit = new org.deeplearning4j.nn.weights.WeightInitDistribution(new NormalDistribution(0, std));
        return this;
    }

    /** Recurrent weights (RW) from N(0, std); by default they follow {@link #normalInit}. */
    SequenceClassifier recurrentInit(IWeightInit init) {
        this.recurrentInit = init;
        return this;
    }

    SequenceClassifier updater(IUpdater u) {
        this.updater = Objects.requireNonNull(u);
        return this;
    }

    SequenceClassifier clipping(GradientNormalization g) {
        this.clipping = Objects.requireNonNull(g);
        return this;
    }

    MultiLayerNetwork build() {
        SimpleRnn.Builder rb = new SimpleRnn.Builder();
        rb.name("rnn").nIn(FashionMnist.COLUMNS).nOut(units).activation(Activation.TANH).weightInit(weightInit);
        if (recurrentInit != null) {
            rb.weightInitRecurrent(recurrentInit);
        }
        org.deeplearning4j.nn.conf.layers.Layer rnn = rb.build();
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER);
        if (clipping != GradientNormalization.None) {
            b.gradientNormalization(clipping).gradientNormalizationThreshold(1.0);
        }
        MultiLayerConfiguration conf = b.list()
                .layer(new LastTimeStep(rnn))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(units)
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
