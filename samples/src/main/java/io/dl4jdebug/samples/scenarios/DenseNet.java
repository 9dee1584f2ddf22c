package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The scenarios' Fashion-MNIST classifier, as a MultiLayerNetwork or a ComputationGraph with the same layers: dense
 * hidden layers {@code dense1}, {@code dense2}, ... and an output layer {@code output}; with {@link #batchNorm} each
 * hidden layer is {@code denseN} (identity) then {@code bnN} then {@code reluN}. Defaults as the gallery's MLP (the seed is
 * given): hidden 128-64, ReLU, He init, Adam(1e-3), softmax with MCXENT, no clipping or regularization, gradients
 * averaged over the minibatch. Not thread safe.
 */
final class DenseNet {

    private final long seed;
    private int[] hidden = {128, 64};
    private Activation activation = Activation.RELU;
    private WeightInit weightInit = WeightInit.RELU;
    private Distribution distribution;
    private IUpdater updater = new Adam(1e-3);
    private double dropOut;
    private double l2;
    private Activation outputActivation = Activation.SOFTMAX;
    private LossFunction loss = LossFunction.MCXENT;
    private Double batchNormDecay;
    private GradientNormalization clipping = GradientNormalization.None;
    private double clipThreshold = 1.0;
    private boolean miniBatch = true;
    private double l1;
    private double weightDecay;
    private IWeightInit hiddenInit;

    private DenseNet(long seed) {
        this.seed = seed;
    }

    /** @return a builder holding the defaults and the given seed */
    static DenseNet seeded(long seed) {
        return new DenseNet(seed);
    }

    DenseNet hidden(int... sizes) {
        this.hidden = sizes.clone();
        return this;
    }

    DenseNet activation(Activation a) {
        this.activation = Objects.requireNonNull(a);
        return this;
    }

    /** Initialises every layer's weights from this distribution instead of He init. */
    DenseNet weights(Distribution d) {
        this.distribution = Objects.requireNonNull(d);
        return this;
    }

    DenseNet updater(IUpdater u) {
        this.updater = Objects.requireNonNull(u);
        return this;
    }

    /** DL4J's {@code .dropOut(p)} on the hidden layers: p is the probability to RETAIN an activation. */
    DenseNet dropOut(double retain) {
        this.dropOut = retain;
        return this;
    }

    DenseNet l2(double l2) {
        this.l2 = l2;
        return this;
    }

    DenseNet output(Activation a, LossFunction l) {
        this.outputActivation = Objects.requireNonNull(a);
        this.loss = Objects.requireNonNull(l);
        return this;
    }

    /** Gradient normalization of every layer with this threshold. */
    DenseNet clipping(GradientNormalization type, double threshold) {
        this.clipping = Objects.requireNonNull(type);
        this.clipThreshold = threshold;
        return this;
    }

    /** DL4J's {@code .miniBatch(b)}: false sums the gradients over the minibatch instead of averaging them. */
    DenseNet miniBatch(boolean average) {
        this.miniBatch = average;
        return this;
    }

    DenseNet l1(double l1) {
        this.l1 = l1;
        return this;
    }

    /** DL4J's {@code .weightDecay(coefficient)} (applied with the learning rate). */
    DenseNet weightDecay(double coefficient) {
        this.weightDecay = coefficient;
        return this;
    }

    /** Initialises the hidden layers' weights with this init (the output layer keeps Xavier). */
    DenseNet hiddenInit(IWeightInit init) {
        this.hiddenInit = Objects.requireNonNull(init);
        return this;
    }

    /** Puts a BatchNormalization with this running-statistics decay between each hidden layer and its ReLU. */
    DenseNet batchNorm(double decay) {
        this.batchNormDecay = decay;
        return this;
    }

    /** @return the initialised MultiLayerNetwork */
    MultiLayerNetwork multiLayer() {
        NeuralNetConfiguration.ListBuilder b = base().list();
        layers().forEach(b::layer);
        b.setInputType(InputType.feedForward(FashionMnist.PIXELS));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /** @return the initialised ComputationGraph (a chain of the same layers from input {@code input}) */
    ComputationGraph graph() {
        ComputationGraphConfiguration.GraphBuilder g = base().graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(FashionMnist.PIXELS));
        String previous = "input";
        for (Layer layer : layers()) {
            g.addLayer(layer.getLayerName(), layer, previous);
            previous = layer.getLayerName();
        }
        ComputationGraph net = new ComputationGraph(g.setOutputs(previous).build());
        net.init();
        return net;
    }

    /** @return the network of the given kind */
    Model build(boolean graph) {
        return graph ? graph() : multiLayer();
    }

    private NeuralNetConfiguration.Builder base() {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater).l2(l2)
                .l1(l1).miniBatch(miniBatch);
        if (weightDecay > 0) {
            b.weightDecay(weightDecay);
        }
        if (clipping != GradientNormalization.None) {
            b.gradientNormalization(clipping).gradientNormalizationThreshold(clipThreshold);
        }
        return distribution == null ? b.weightInit(weightInit) : b.weightInit(distribution);
    }

    private List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < hidden.length; i++) {
            int n = i + 1;
            DenseLayer.Builder d = new DenseLayer.Builder().name("dense" + n).nOut(hidden[i])
                    .activation(batchNormDecay == null ? activation : Activation.IDENTITY);
            if (dropOut > 0) {
                d.dropOut(dropOut);
            }
            if (hiddenInit != null) {
                d.weightInit(hiddenInit);
            }
            layers.add(d.build());
            if (batchNormDecay != null) {
                layers.add(new BatchNormalization.Builder().name("bn" + n).decay(batchNormDecay).build());
                layers.add(new ActivationLayer.Builder().name("relu" + n).activation(activation).build());
            }
        }
        OutputLayer.Builder out = new OutputLayer.Builder(loss).name("output").nOut(FashionMnist.CLASSES)
                .activation(outputActivation);
        if (distribution == null) {
            out.weightInit(WeightInit.XAVIER);
        }
        layers.add(out.build());
        return layers;
    }
}
