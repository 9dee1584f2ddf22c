package io.dl4jdebug.ui;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.ui.storage.FittingVerdict;
import io.dl4jdebug.ui.storage.LossPoint;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small real training runs on Fashion-MNIST (Debian's dataset-fashion-mnist) that publish into a sink. */
final class UiRuns {

    /** A layer name that would run script if it were inserted as HTML. */
    static final String XSS_LAYER = "<img src=x onerror=alert(1)>";

    private static DataSet cached;

    private UiRuns() {
    }

    static synchronized DataSet data() {
        if (cached == null) {
            cached = FashionMnist.load(FashionMnist.Split.TRAIN, 768);
        }
        return cached;
    }

    static DataSet slice(int from, int to) {
        DataSet d = data();
        return new DataSet(d.getFeatures().get(NDArrayIndex.interval(from, to)).dup(),
                d.getLabels().get(NDArrayIndex.interval(from, to)).dup());
    }

    /**
     * 784 -> dense("h0", relu, 32) -> dense(second, secondActivation, 16) -> softmax "out".
     */
    static MultiLayerNetwork net(String second, IUpdater updater, double firstBias, Activation secondActivation) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .updater(updater).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(784).nOut(32).activation(Activation.RELU)
                        .biasInit(firstBias).build())
                .layer(new DenseLayer.Builder().name(second).nIn(32).nOut(16).activation(secondActivation)
                        .weightInit(WeightInit.XAVIER).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .build());
        net.init();
        return net;
    }

    /**
     * @param corruptBatch the minibatch (0-based, of 16) whose pixels are multiplied by 1e4; -1 for none
     * @return 16 minibatches of 32 training examples
     */
    static ListDataSetIterator<DataSet> batches(int corruptBatch) {
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            DataSet batch = slice(32 * b, 32 * (b + 1));
            if (b == corruptBatch) {
                batch.getFeatures().muli(1e4);
            }
            batches.add(batch);
        }
        return new ListDataSetIterator<>(batches, 1); // each element is already a minibatch
    }

    /** A healthy run: Adam(1e-3). */
    static MultiLayerNetwork healthy() {
        return net("h1", new Adam(1e-3), 0.0, Activation.TANH);
    }

    /** The minibatch of {@link #broken()} runs that skipped normalisation. */
    static final int CORRUPT_BATCH = 10;

    /**
     * A broken network: a cube activation in the second layer (named like an HTML injection), a negative bias in the
     * first (many dead ReLUs). Trained with {@link #CORRUPT_BATCH}, the unnormalised batch overflows the cube and the
     * run turns NaN at iteration 11 (NON_FINITE, ERROR); DEAD_UNITS and VANISHING_GRADIENT follow.
     */
    static MultiLayerNetwork broken() {
        return net(XSS_LAYER, new Sgd(0.05), -0.5, Activation.CUBE);
    }

    /**
     * Trains with the debug suite publishing into the sink (monitors, findings, training loss, validation loss and
     * the fitting verdict per epoch), plus three checklist results.
     */
    static DebugSuite train(MultiLayerNetwork net, StatsStorageSink sink, int epochs) {
        return train(net, sink, epochs, -1);
    }

    /**
     * Like {@link #train(MultiLayerNetwork, StatsStorageSink, int)}; the minibatch at {@code corruptBatch} (0-based,
     * of 16 per epoch; -1 for none) has its pixels multiplied by 1e4, like a batch that skipped normalisation. With a
     * corrupt batch the monitors measure every 2nd iteration (a finer heatmap), else on their default schedule.
     */
    static DebugSuite train(MultiLayerNetwork net, StatsStorageSink sink, int epochs, int corruptBatch) {
        DebugSuite.Builder builder = DebugSuite.builder().nanPolicy(NanPolicy.LOG).logging(false).sink(sink);
        if (corruptBatch >= 0) {
            builder.gradientConfig(GradientMonitorConfig.builder().schedule(Schedule.every(2)).build())
                    .activationConfig(ActivationMonitorConfig.builder().schedule(Schedule.every(2)).build());
        }
        // The suite's loss monitor publishes the training loss (the sink keeps every 10th iteration), the
        // validation loss and, through the rules, the fitting verdict of each epoch.
        builder.validation(new ListDataSetIterator<>(slice(512, 768).batchBy(64), 1))
                .trainEvaluation(new ListDataSetIterator<>(slice(0, 256).batchBy(64), 1));
        DebugSuite suite = builder.build().attachTo(net);
        sink.onChecklist(new ChecklistItem("data.finite", Level.CODE, CheckStatus.PASS, "all features are finite",
                Map.of("nonFinite", 0.0)));
        sink.onChecklist(new ChecklistItem("loss.init", Level.CODE, CheckStatus.WARN,
                "initial loss differs from ln(10)", Map.of("loss", 3.1, "expected", Math.log(10))));
        sink.onChecklist(new ChecklistItem("data.leakage", Level.CODE, CheckStatus.SKIPPED,
                "no validation iterator given", Map.of()));
        net.fit(batches(corruptBatch), epochs);
        return suite;
    }
}
