package io.dl4jdebug.ui.recorded;

import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;

/**
 * Real training runs on Fashion-MNIST recorded by DL4J's StatsListener alone (default configuration: every 10
 * iterations, all statistics) into a FileStatsStorage, as a DL4J user records them; no dl4j-debug listener attached.
 */
public final class StatsRecordings {

    public static final int EXAMPLES = 1536;
    public static final int BATCH = 32;

    private static DataSet cached;

    private StatsRecordings() {
    }

    public static synchronized DataSet data() {
        if (cached == null) {
            cached = FashionMnist.load(FashionMnist.Split.TRAIN, EXAMPLES);
        }
        return cached;
    }

    /** 784-128-64-10 ReLU MLP, He init, Adam(1e-3): the healthy twin. */
    public static MultiLayerNetwork mlp(IUpdater updater) {
        return net(updater, Activation.RELU, WeightInit.RELU, 128, 64);
    }

    /** 12 hidden sigmoid layers of 64 units, Xavier init, Adam(1e-3): the gradient vanishes before the first. */
    public static MultiLayerNetwork deepSigmoid() {
        int[] hidden = new int[12];
        java.util.Arrays.fill(hidden, 64);
        return net(new Adam(1e-3), Activation.SIGMOID, WeightInit.XAVIER, hidden);
    }

    public static MultiLayerNetwork net(IUpdater updater, Activation activation, WeightInit init, int... hidden) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(init).list();
        int in = FashionMnist.PIXELS;
        for (int i = 0; i < hidden.length; i++) {
            b.layer(new DenseLayer.Builder().name("dense" + (i + 1)).nIn(in).nOut(hidden[i]).activation(activation)
                    .build());
            in = hidden[i];
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(in)
                .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /** The 784-128-64-10 ReLU MLP as a ComputationGraph (vertices dense1, dense2, output). */
    public static ComputationGraph graph(IUpdater updater) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .addLayer("dense1", new DenseLayer.Builder().nIn(FashionMnist.PIXELS).nOut(128)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("dense2", new DenseLayer.Builder().nIn(128).nOut(64).activation(Activation.RELU).build(),
                        "dense1")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64)
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                        .build(), "dense2")
                .setOutputs("output").build());
        g.init();
        return g;
    }

    /**
     * Trains {@code net} for {@code epochs} passes with only {@code new StatsListener(storage, frequency)} attached,
     * into a new FileStatsStorage at {@code file}.
     *
     * @return the file
     */
    public static Path record(ComputationGraph net, int frequency, int epochs, Path file) {
        FileStatsStorage storage = new FileStatsStorage(file.toFile());
        try {
            net.setListeners(new StatsListener(storage, frequency));
            net.fit(new ListDataSetIterator<>(data().asList(), BATCH), epochs);
        } finally {
            storage.close();
        }
        return file;
    }

    /**
     * Trains {@code net} for {@code epochs} passes over {@value #EXAMPLES} examples with only a StatsListener
     * attached, into a new FileStatsStorage at {@code file}.
     *
     * @return the file
     */
    public static Path record(MultiLayerNetwork net, int epochs, Path file) {
        FileStatsStorage storage = new FileStatsStorage(file.toFile());
        try {
            net.setListeners(new StatsListener(storage));
            ListDataSetIterator<DataSet> it = new ListDataSetIterator<>(data().asList(), BATCH);
            net.fit(it, epochs);
        } finally {
            storage.close();
        }
        return file;
    }
}
