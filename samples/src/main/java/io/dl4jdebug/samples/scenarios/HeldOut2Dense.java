package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.base;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.dense;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.softmaxOutput;

/**
 * The second held-out set's dense bugs: MultiLayerNetworks (784-128-64-10 unless said otherwise) and
 * ComputationGraphs (input -> dense1 -> dense2 -> output) on {@value HeldOutNets#TRAIN} Fashion-MNIST examples, each
 * with its healthy twin, and their healthy networks. Stateless.
 */
final class HeldOut2Dense {

    private HeldOut2Dense() {
    }

    /** @return the dense MultiLayerNetwork and graph bugs, then their healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                mln("h2-sigmoid-bias-plus5", "sigmoid hidden layers (Sgd(0.5)) whose biases are initialised to +5"
                                + " (meant 0): every unit starts at ~0.993, its derivative ~0.007, the layers pass on"
                                + " an almost constant vector",
                        RootCause.of(Symptom.SATURATED_ACTIVATIONS, Setting.BIAS_INIT, ONLY_IN_TRAINING, "dense1",
                                "dense2"),
                        (d, bug) -> HeldOutNets.standard(d, HeldOutNets.chain(base(d.seed()).updater(new Sgd(0.5))
                                        .weightInit(WeightInit.XAVIER), List.of(
                                        dense("dense1", 128, Activation.SIGMOID).biasInit(bug ? 5 : 0).build(),
                                        dense("dense2", 64, Activation.SIGMOID).biasInit(bug ? 5 : 0).build(),
                                        softmaxOutput().build())), 3)),
                // nearest symptom and setting: the held-out features are on another scale than the training ones
                mln("h2-validation-standardised", "the training pixels are scaled to [0, 1], the held-out pixels"
                                + " standardised ((x - mean) / std, another loader): the network is scored on inputs"
                                + " shifted by -0.8 and stretched 2.8x",
                        RootCause.of(Symptom.DATA_UNNORMALIZED, Setting.INPUT_SCALE, BEFORE_TRAINING),
                        (d, bug) -> {
                            DataSet held = d.fashion().test(HeldOutNets.VALIDATION);
                            return new ScenarioSetup(mlp(d.seed(), new Adam(1e-3)),
                                    d.fashion().train(HeldOutNets.TRAIN), bug ? standardised(held) : held,
                                    HeldOutNets.BATCH, 2);
                        }),
                mln("h2-dropconnect-misread", "DropConnect(0.1) weight noise on both hidden layers, read as 'drop"
                                + " 10 %' (DL4J's argument is the RETAIN probability): 90 % of the weights are zeroed"
                                + " each step and the rest scaled 10x",
                        RootCause.of(Symptom.DROPOUT_MISCONFIGURED, Setting.DROPOUT, ONLY_IN_TRAINING, "dense1",
                                "dense2"),
                        (d, bug) -> HeldOutNets.standard(d, HeldOutNets.chain(base(d.seed()), List.of(
                                dropConnect(dense("dense1", 128, Activation.RELU), bug),
                                dropConnect(dense("dense2", 64, Activation.RELU), bug),
                                softmaxOutput().build())), 2)),
                // nearest symptom and setting: the fix is the data's order; each class arrives as a block
                mln("h2-training-sorted-by-class", "the training examples sorted by class and never shuffled: every"
                                + " minibatch holds one class, the network chases the current class and ends"
                                + " predicting the last ones",
                        RootCause.of(Symptom.LOSS_OSCILLATING, Setting.DATA_SPLIT, ONLY_IN_TRAINING),
                        (d, bug) -> {
                            DataSet train = d.fashion().train(HeldOutNets.TRAIN);
                            return new ScenarioSetup(mlp(d.seed(), new Adam(1e-3)), bug ? sortedByClass(train) : train,
                                    d.fashion().test(HeldOutNets.VALIDATION), HeldOutNets.BATCH, 2);
                        }),
                cg("h2-cg-adagrad-tiny-rate", "a graph with AdaGrad(1e-4) (meant 1e-2): AdaGrad's accumulated"
                                + " denominator only shrinks a rate that is already 100x too small",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE, ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, chainGraph(d.seed(), new AdaGrad(bug ? 1e-4 : 1e-2)), 2)),
                cg("h2-cg-bias-rate-caffe-typo", "a graph with Adam(1e-3) and a separate bias updater meant as"
                                + " Caffe's 'twice the rate for biases', typed Adam(2.0) (meant 2e-3): every bias moves"
                                + " by up to 2 a step",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Set.of(Setting.LEARNING_RATE, Setting.UPDATER),
                                BEFORE_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, chainGraph(d.seed(), new Adam(1e-3),
                                new Adam(bug ? 2.0 : 2e-3)), 2)),
                mln("h2-input-dropout-retain-20", "dropOut(0.2) on the first dense layer, meant as 'drop 20 % of"
                                + " the pixels' (DL4J's argument is the RETAIN probability): 80 % of the input pixels are"
                                + " zeroed each step and the rest scaled 5x",
                        RootCause.of(Symptom.DROPOUT_MISCONFIGURED, Setting.DROPOUT, BEFORE_TRAINING, "dense1"),
                        (d, bug) -> HeldOutNets.standard(d, HeldOutNets.chain(base(d.seed()), List.of(
                                bug ? dense("dense1", 128, Activation.RELU).dropOut(0.2).build()
                                        : dense("dense1", 128, Activation.RELU).dropOut(0.8).build(),
                                dense("dense2", 64, Activation.RELU).build(),
                                softmaxOutput().build())), 2)),
                BuiltScenario.healthy("h2-healthy-mln-dropconnect", "the 784-128-64-10 ReLU network with"
                                + " DropConnect(0.9) (retain 90 % of the weights) on both hidden layers",
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, d -> HeldOutNets.standard(d,
                                HeldOutNets.chain(base(d.seed()), List.of(
                                        dropConnect(dense("dense1", 128, Activation.RELU), false),
                                        dropConnect(dense("dense2", 64, Activation.RELU), false),
                                        softmaxOutput().build())), 2)),
                BuiltScenario.healthy("h2-healthy-cg-bias-rate", "the graph with Adam(1e-3) and a bias updater"
                                + " Adam(2e-3): twice the rate for biases, as meant",
                        ModelKind.COMPUTATION_GRAPH, Family.CG,
                        d -> HeldOutNets.standard(d, chainGraph(d.seed(), new Adam(1e-3), new Adam(2e-3)), 2)));
    }

    private static LabelledScenario mln(String name, String description, RootCause label,
                                        BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.MULTI_LAYER_NETWORK, Family.MLN, setup);
    }

    private static LabelledScenario cg(String name, String description, RootCause label,
                                       BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.COMPUTATION_GRAPH, Family.CG, setup);
    }

    /** @return the layer with DropConnect retaining 10 % (bug) or 90 % of its weights */
    private static DenseLayer dropConnect(DenseLayer.Builder layer, boolean bug) {
        return layer.weightNoise(new DropConnect(bug ? 0.1 : 0.9)).build();
    }

    /** @return the 784-128-64-10 ReLU MultiLayerNetwork with this updater */
    private static MultiLayerNetwork mlp(long seed, IUpdater updater) {
        return HeldOutNets.chain(base(seed).updater(updater), List.of(dense("dense1", 128, Activation.RELU).build(),
                dense("dense2", 64, Activation.RELU).build(), softmaxOutput().build()));
    }

    /** @return input -> dense1 (ReLU 128) -> dense2 (ReLU 64) -> output, with this updater */
    private static ComputationGraph chainGraph(long seed, IUpdater updater) {
        return chainGraph(seed, updater, null);
    }

    /** @return the same graph whose biases use their own updater (none: the weights' updater) */
    private static ComputationGraph chainGraph(long seed, IUpdater updater, IUpdater biasUpdater) {
        var b = base(seed).updater(updater);
        if (biasUpdater != null) {
            b.biasUpdater(biasUpdater);
        }
        ComputationGraphConfiguration conf = b.graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(FashionMnist.PIXELS))
                .addLayer("dense1", dense("dense1", 128, Activation.RELU).build(), "input")
                .addLayer("dense2", dense("dense2", 64, Activation.RELU).build(), "dense1")
                .addLayer("output", softmaxOutput().build(), "dense2")
                .setOutputs("output").build();
        return HeldOutNets.graph(conf);
    }

    /** @return the examples with their features standardised by their own mean and standard deviation */
    static DataSet standardised(DataSet data) {
        INDArray x = data.getFeatures();
        double mean = x.meanNumber().doubleValue();
        double std = x.stdNumber().doubleValue();
        return new DataSet(x.sub(mean).divi(std), data.getLabels());
    }

    /** @return the same examples ordered by class (stable within a class) */
    static DataSet sortedByClass(DataSet data) {
        INDArray classes = data.getLabels().argMax(1);
        int[] order = IntStream.range(0, data.numExamples()).boxed()
                .sorted(Comparator.comparingLong(classes::getLong)).mapToInt(Integer::intValue).toArray();
        return new DataSet(data.getFeatures().getRows(order), data.getLabels().getRows(order));
    }
}
