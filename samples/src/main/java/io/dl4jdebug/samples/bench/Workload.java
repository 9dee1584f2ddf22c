package io.dl4jdebug.samples.bench;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.cli.cifar.CifarLayout;
import io.dl4jdebug.samples.cifar.CifarResNet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One network and its minibatches, as the benchmark trains them: every variant gets a fresh, identical network from
 * {@link #networks()} and fits the same minibatches in the same order.
 *
 * @param name        short name, as {@code --workload} spells it
 * @param description one line for the report
 * @param networks    makes a fresh, initialised network (same seed every time)
 * @param batches     minibatches to cycle through
 */
public record Workload(String name, String description, Supplier<Model> networks, List<DataSet> batches) {

    /** Minibatches held in memory by each workload. */
    static final int BATCHES = 8;

    /** Validates and copies. */
    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(networks, "networks");
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("workload " + name + " has no minibatches");
        }
        batches = List.copyOf(batches);
    }

    /**
     * The Fashion-MNIST MLP 784-256-128-10 (ReLU, softmax, Adam 1e-3) on real Fashion-MNIST images.
     *
     * @param dataDir directory of the Fashion-MNIST IDX files
     * @param batch   minibatch size
     * @return the workload
     */
    public static Workload mlp(Path dataDir, int batch) {
        DataSet data = FashionMnist.load(dataDir, FashionMnist.Split.TRAIN, batch * BATCHES, true);
        return new Workload("mlp", "Fashion-MNIST MLP 784-256-128-10 (Adam), batch " + batch,
                Workload::mlpNetwork, data.batchBy(batch));
    }

    /**
     * The case study's CIFAR ResNet ({@link CifarResNet}: stages of 8, 16 and 32 channels, one residual block each,
     * BatchNorm, Adam) on synthetic CIFAR-layout minibatches (32x32x3, standard-normal pixels, random labels): the
     * cost of an iteration does not depend on the pixel values.
     *
     * @param batch minibatch size
     * @return the workload
     */
    public static Workload resnet(int batch) {
        return new Workload("resnet", "case-study CIFAR ResNet (8-16-32 channels, 1 block/stage, BatchNorm, Adam), "
                + "32x32x3 synthetic input, batch " + batch,
                () -> CifarResNet.build(new int[] {8, 16, 32}, 1, false, 42), syntheticCifar(batch, 7));
    }

    /**
     * An LSTM classifier on Fashion-MNIST read as 28 time steps of 28 pixels ({@code FashionMnist.asSequences}):
     * {@code LastTimeStep(LSTM 28 -> 64)} then softmax, Adam 1e-3.
     *
     * @param dataDir directory of the Fashion-MNIST IDX files
     * @param batch   minibatch size
     * @return the workload
     */
    public static Workload lstm(Path dataDir, int batch) {
        DataSet data = FashionMnist.asSequences(FashionMnist.load(dataDir, FashionMnist.Split.TRAIN,
                batch * BATCHES, true));
        return new Workload("lstm", "Fashion-MNIST sequences (28 steps x 28 pixels), LastTimeStep(LSTM 64) + "
                + "softmax (Adam), batch " + batch, () -> {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                    .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                    .layer(new org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep(
                            new org.deeplearning4j.nn.conf.layers.LSTM.Builder().name("lstm").nOut(64)
                                    .activation(Activation.TANH).build()))
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionMnist.CLASSES)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.recurrent(FashionMnist.COLUMNS, FashionMnist.ROWS)).build());
            net.init();
            return net;
        }, data.batchBy(batch));
    }

    /**
     * A tiny MLP (20-16-3) on random minibatches: fast enough for a soak run of thousands of iterations.
     *
     * @param batch minibatch size
     * @return the workload
     */
    public static Workload tiny(int batch) {
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, batch, 20);
            batches.add(new DataSet(x, oneHot(batch, 3, i)));
        }
        return new Workload("tiny", "tiny MLP 20-16-3 (Adam), batch " + batch, () -> {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                    .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                    .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(20)).build());
            net.init();
            return net;
        }, batches);
    }

    /** @return a fresh network of this workload */
    public Model newNetwork() {
        return networks.get();
    }

    private static Model mlpNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionMnist.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        net.init();
        return net;
    }

    private static List<DataSet> syntheticCifar(int batch, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, batch, 3, CifarLayout.SIDE, CifarLayout.SIDE);
            batches.add(new DataSet(x, oneHot(batch, 10, i)));
        }
        return batches;
    }

    private static INDArray oneHot(int rows, int classes, int offset) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
        for (int r = 0; r < rows; r++) {
            y.putScalar(r, (r * 7 + offset) % classes, 1f);
        }
        return y;
    }
}
