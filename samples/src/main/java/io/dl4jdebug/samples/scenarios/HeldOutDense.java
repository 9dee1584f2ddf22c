package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.base;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.dense;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.softmaxOutput;

/**
 * The held-out set's dense bugs: MultiLayerNetworks (a 784-128-64-10 ReLU classifier unless said otherwise) and
 * ComputationGraphs on {@value HeldOutNets#TRAIN} Fashion-MNIST examples, each with its healthy twin, and their
 * healthy networks. Stateless.
 */
final class HeldOutDense {

    private HeldOutDense() {
    }

    /** @return the dense MultiLayerNetwork and graph bugs, then their healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                mln("ho-rate-cycle-peak-typo", "Nesterovs(momentum 0.9) on a hand-written MapSchedule by"
                                + " iteration, 0.02 -> peak -> 0.02, whose peak at iteration 32 reads 2.0 (meant 0.05):"
                                + " the rate jumps 40x mid-run",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE_SCHEDULE,
                                ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, mlp(d.seed(), cycle(bug ? 2.0 : 0.05)), 2)),
                // nearest symptom: with beta2 0.05 the second moment is the last gradient's square, so a step is
                // lr * m / |g_t|: steps blow up whenever the current gradient is smaller than the running mean
                mln("ho-adam-beta2-tiny", "Adam(2e-3) with beta2 0.05 (meant 0.999): the denominator follows the"
                                + " current gradient, the steps are erratic and often far too large",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.UPDATER, ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, mlp(d.seed(), bug ? new Adam(2e-3, 0.9, 0.05, 1e-8)
                                : new Adam(2e-3)), 2)),
                // the penalty is in the score: the loss at initialisation is ~195 instead of ln(10)
                mln("ho-l2-huge-one-layer", "Sgd(0.1) with l2(3.0) set on dense2 alone (meant 3e-4): the penalty"
                                + " shrinks that layer's weights by 30% a step, faster than the data can grow them",
                        RootCause.of(Symptom.REGULARIZATION_DOMINATES, Setting.REGULARIZATION, BEFORE_TRAINING,
                                "dense2"),
                        (d, bug) -> HeldOutNets.standard(d, HeldOutNets.chain(base(d.seed()).updater(new Sgd(0.1)),
                                List.of(dense("dense1", 128, Activation.RELU).build(),
                                        dense("dense2", 64, Activation.RELU).l2(bug ? 3.0 : 3e-4).build(),
                                        softmaxOutput().build())), 2)),
                // the LossLayer's own pair (softmax, MCXENT) fits; the bounded logits come from the layer before it
                mln("ho-tanh-logits-loss-layer", "Dense(10, tanh) 'logits' then LossLayer(MCXENT, softmax): the"
                                + " logits are bounded to [-1, 1], no class can get a probability above 0.45",
                        RootCause.of(Symptom.LOSS_OUTPUT_MISMATCH, Set.of(Setting.ACTIVATION, Setting.LOSS_FUNCTION),
                                ONLY_IN_TRAINING, "logits"),
                        (d, bug) -> HeldOutNets.standard(d, HeldOutNets.chain(base(d.seed()), List.of(
                                dense("dense1", 128, Activation.RELU).build(),
                                dense("dense2", 64, Activation.RELU).build(),
                                dense("logits", FashionMnist.CLASSES, bug ? Activation.TANH : Activation.IDENTITY)
                                        .build(),
                                new LossLayer.Builder(LossFunction.MCXENT).name("loss").activation(Activation.SOFTMAX)
                                        .build())), 2)),
                // nearest symptom: the labels are valid one-hot rows, but of the wrong class
                mln("ho-train-labels-off-by-one", "the training labels were read as 1-based class ids (every class"
                                + " moved to the next, 9 to 0), the held-out labels correctly: it learns the wrong map",
                        RootCause.of(Symptom.LABELS_INVALID, Setting.LABELS, ONLY_IN_TRAINING),
                        (d, bug) -> new ScenarioSetup(mlp(d.seed(), new Adam(1e-3)), bug
                                ? HeldOutNets.labelsShifted(d.fashion().train(HeldOutNets.TRAIN))
                                : d.fashion().train(HeldOutNets.TRAIN), d.fashion().test(HeldOutNets.VALIDATION),
                                HeldOutNets.BATCH, 2)),
                mln("ho-init-std-huge-dense2", "Sgd(0.05), dense2 initialised from N(0, 2) (meant He init, std"
                                + " 0.125): its outputs are ~16x too large, the logits and their gradients explode",
                        RootCause.of(Symptom.EXPLODING_GRADIENT, Setting.WEIGHT_INIT, BEFORE_TRAINING, "dense2"),
                        (d, bug) -> HeldOutNets.standard(d, HeldOutNets.chain(base(d.seed()).updater(new Sgd(0.05)),
                                List.of(dense("dense1", 128, Activation.RELU).build(), bug
                                                ? dense("dense2", 64, Activation.RELU)
                                                .weightInit(new NormalDistribution(0, 2.0)).build()
                                                : dense("dense2", 64, Activation.RELU).build(),
                                        softmaxOutput().build())), 2)),
                mln("ho-constant-column-huge", "feature 0 (a corner pixel) replaced by a constant 500 in training and"
                                + " held-out data (an id column appended unscaled): it dominates every first-layer"
                                + " unit",
                        RootCause.of(Symptom.DATA_UNNORMALIZED, Setting.INPUT_SCALE, BEFORE_TRAINING),
                        (d, bug) -> new ScenarioSetup(mlp(d.seed(), new Adam(1e-3)),
                                column(d.fashion().train(HeldOutNets.TRAIN), bug),
                                column(d.fashion().test(HeldOutNets.VALIDATION), bug), HeldOutNets.BATCH, 2)),
                cg("ho-cg-epoch-schedule-typo", "a graph with Adam on a MapSchedule by epoch {0: 1e-3, 1: 1e-1}"
                                + " (meant 1e-4): the rate jumps 100x when the second epoch starts",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE_SCHEDULE,
                                ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, chainGraph(d.seed(), new Adam(new MapSchedule(
                                ScheduleType.EPOCH, Map.of(0, 1e-3, 1, bug ? 1e-1 : 1e-4))), null, 0), 3)),
                cg("ho-cg-clip-per-param-type", "a graph with Sgd(0.1) and ClipL2PerParamType at 1e-4: each weight"
                                + " and bias gradient is cut to an L2 norm of 1e-4, the updates are ~1e-5",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.GRADIENT_NORMALIZATION, ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, chainGraph(d.seed(), new Sgd(0.1),
                                bug ? GradientNormalization.ClipL2PerParamType : null, 1e-4), 2)),
                // the LossLayer's own pair (softmax, MCXENT) fits; the second softmax is in the layer before it
                cg("ho-cg-double-softmax", "a graph whose Dense(10) 'probs' already has a softmax, followed by"
                                + " LossLayer(MCXENT, softmax): the probabilities are squashed again into [0.09, 0.23],"
                                + " the loss cannot fall below ~1.5 and its gradient is small",
                        RootCause.of(Symptom.LOSS_OUTPUT_MISMATCH, Set.of(Setting.ACTIVATION, Setting.LOSS_FUNCTION),
                                ONLY_IN_TRAINING, "probs"),
                        (d, bug) -> HeldOutNets.standard(d, lossLayerGraph(d.seed(),
                                bug ? Activation.SOFTMAX : Activation.IDENTITY), 2)),
                // nearest symptom: the product with a closed gate scales the signal and its gradient by ~3e-4
                cg("ho-cg-gate-closed", "a gated graph: features (ReLU) times gate (sigmoid) in an ElementWiseVertex"
                                + " Product, the gate's bias initialised to -8 (meant +2): the gate is shut, the"
                                + " product is ~3e-4 of the features and so is every gradient through it",
                        RootCause.of(Symptom.VANISHING_GRADIENT, Setting.BIAS_INIT, ONLY_IN_TRAINING, "gate"),
                        (d, bug) -> HeldOutNets.standard(d, gated(d.seed(), bug ? -8 : 2), 2)),
                BuiltScenario.healthy("ho-healthy-mln-cycle", "Nesterovs(momentum 0.9) on a MapSchedule by"
                                + " iteration 0.02 -> 0.05 -> 0.02, l2 3e-4 on dense2: the schedule and penalty as"
                                + " meant",
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, d -> HeldOutNets.standard(d,
                                HeldOutNets.chain(base(d.seed()).updater(cycle(0.05)), List.of(
                                        dense("dense1", 128, Activation.RELU).build(),
                                        dense("dense2", 64, Activation.RELU).l2(3e-4).build(),
                                        softmaxOutput().build())), 2)),
                BuiltScenario.healthy("ho-healthy-cg-gated", "the gated graph with the gate's bias at +2 (open)",
                        ModelKind.COMPUTATION_GRAPH, Family.CG, d -> HeldOutNets.standard(d, gated(d.seed(), 2), 2)));
    }

    private static LabelledScenario mln(String name, String description, RootCause label,
                                        BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.MULTI_LAYER_NETWORK, Family.MLN, setup);
    }

    private static LabelledScenario cg(String name, String description, RootCause label,
                                       BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.COMPUTATION_GRAPH, Family.CG, setup);
    }

    private static DataSet column(DataSet data, boolean bug) {
        return bug ? HeldOutNets.constantColumn(data, 500) : data;
    }

    /** @return Nesterovs(0.9) whose rate is 0.02, the peak from iteration 32, 0.02 again from iteration 48 */
    private static IUpdater cycle(double peak) {
        return new Nesterovs(new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.02, 32, peak, 48, 0.02)), 0.9);
    }

    /** @return the 784-128-64-10 ReLU MultiLayerNetwork with this updater */
    private static MultiLayerNetwork mlp(long seed, IUpdater updater) {
        return HeldOutNets.chain(base(seed).updater(updater), List.of(dense("dense1", 128, Activation.RELU).build(),
                dense("dense2", 64, Activation.RELU).build(), softmaxOutput().build()));
    }

    /** @return the same layers as a graph (input -> dense1 -> dense2 -> output) */
    private static ComputationGraph chainGraph(long seed, IUpdater updater, GradientNormalization clip,
                                               double threshold) {
        var b = base(seed).updater(updater);
        if (clip != null) {
            b.gradientNormalization(clip).gradientNormalizationThreshold(threshold);
        }
        ComputationGraphConfiguration conf = b.graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(FashionMnist.PIXELS))
                .addLayer("dense1", dense("dense1", 128, Activation.RELU).build(), "input")
                .addLayer("dense2", dense("dense2", 64, Activation.RELU).build(), "dense1")
                .addLayer("output", softmaxOutput().build(), "dense2")
                .setOutputs("output").build();
        return HeldOutNets.graph(conf);
    }

    /** @return input -> dense1 -> dense2 -> probs (Dense 10, this activation) -> LossLayer(MCXENT, softmax) */
    private static ComputationGraph lossLayerGraph(long seed, Activation probs) {
        ComputationGraphConfiguration conf = base(seed).graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(FashionMnist.PIXELS))
                .addLayer("dense1", dense("dense1", 128, Activation.RELU).build(), "input")
                .addLayer("dense2", dense("dense2", 64, Activation.RELU).build(), "dense1")
                .addLayer("probs", dense("probs", FashionMnist.CLASSES, probs).weightInit(WeightInit.XAVIER).build(),
                        "dense2")
                .addLayer("loss", new LossLayer.Builder(LossFunction.MCXENT).name("loss")
                        .activation(Activation.SOFTMAX).build(), "probs")
                .setOutputs("loss").build();
        return HeldOutNets.graph(conf);
    }

    /** @return input -> features (ReLU 128), input -> gate (sigmoid 128, bias init given), product -> output */
    private static ComputationGraph gated(long seed, double gateBias) {
        DenseLayer gate = dense("gate", 128, Activation.SIGMOID).biasInit(gateBias).build();
        OutputLayer out = softmaxOutput().build();
        ComputationGraphConfiguration conf = base(seed).graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(FashionMnist.PIXELS))
                .addLayer("features", dense("features", 128, Activation.RELU).build(), "input")
                .addLayer("gate", gate, "input")
                .addVertex("gated", new ElementWiseVertex(ElementWiseVertex.Op.Product), "features", "gate")
                .addLayer("output", out, "gated")
                .setOutputs("output").build();
        return HeldOutNets.graph(conf);
    }
}
