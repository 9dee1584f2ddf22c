package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;

/**
 * Initialisation, activation and width bugs on the dense Fashion-MNIST classifier (AUTOTRAINER's vanishing gradient,
 * saturation and improper activation; DeepFD's zero/constant init and too narrow layer), each with its healthy twin,
 * and a healthy network with BatchNormalization. Stateless.
 */
final class InitScenarios {

    private InitScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                BuiltScenario.bug("zero-init", "tanh hidden layers with WeightInit.ZERO: every hidden output is 0,"
                                + " no gradient reaches the hidden weights, every unit stays the same",
                        RootCause.of(Symptom.UNITS_IDENTICAL, Setting.WEIGHT_INIT, BEFORE_TRAINING, "dense1", "dense2"),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).activation(Activation.TANH).hiddenInit(bug ? WeightInit.ZERO
                                        .getWeightInitFunction() : WeightInit.XAVIER.getWeightInitFunction())
                                        .multiLayer())),
                BuiltScenario.bug("constant-init", "tanh hidden layers initialised with ConstantDistribution(0.01):"
                                + " the units of dense1 compute the same function and get the same gradient forever",
                        RootCause.of(Symptom.UNITS_IDENTICAL, Setting.WEIGHT_INIT, ONLY_IN_TRAINING, "dense1"),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).activation(Activation.TANH).hiddenInit(bug
                                        ? new WeightInitDistribution(new ConstantDistribution(0.01))
                                        : WeightInit.XAVIER.getWeightInitFunction()).multiLayer())),
                BuiltScenario.bug("init-too-small-deep", "four tanh layers of 64 with weights from N(0, 0.01) and"
                                + " Sgd(0.1): the signal and the gradient shrink ~12x per layer",
                        RootCause.of(Symptom.VANISHING_GRADIENT, Setting.WEIGHT_INIT, ONLY_IN_TRAINING, "dense1",
                                "dense2"),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).hidden(64, 64, 64, 64).activation(Activation.TANH)
                                        .updater(new Sgd(0.1)).hiddenInit(bug
                                                ? new WeightInitDistribution(new NormalDistribution(0, 0.01))
                                                : WeightInit.XAVIER.getWeightInitFunction()).multiLayer())),
                BuiltScenario.bug("tanh-saturated-init", "tanh hidden layers with weights from N(0, 1): dense1's"
                                + " pre-activations are ~10, every unit sits at +-1 where tanh's slope is 0",
                        RootCause.of(Symptom.SATURATED_ACTIVATIONS, Setting.WEIGHT_INIT, ONLY_IN_TRAINING, "dense1",
                                "dense2"),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).activation(Activation.TANH).hiddenInit(bug
                                        ? new WeightInitDistribution(new NormalDistribution(0, 1))
                                        : WeightInit.XAVIER.getWeightInitFunction()).multiLayer())),
                BuiltScenario.bug("hidden-softmax", "Activation.SOFTMAX on the hidden layers (meant for the output):"
                                + " each layer's outputs sum to 1, ~1/128 each, and its slope is as small",
                        RootCause.of(Symptom.VANISHING_GRADIENT, Setting.ACTIVATION, ONLY_IN_TRAINING, "dense1",
                                "dense2"),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).activation(bug ? Activation.SOFTMAX : Activation.RELU)
                                        .multiLayer())),
                BuiltScenario.bug("cg-deep-sigmoid", "a graph of 8 sigmoid layers of 64 with Sgd(0.1): each layer"
                                + " scales the backpropagated gradient by ~0.25",
                        RootCause.of(Symptom.VANISHING_GRADIENT, Setting.ACTIVATION, ONLY_IN_TRAINING, "dense1",
                                "dense2", "dense3"),
                        ModelKind.COMPUTATION_GRAPH, Family.CG, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).hidden(64, 64, 64, 64, 64, 64, 64, 64).updater(new Sgd(0.1))
                                        .activation(bug ? Activation.SIGMOID : Activation.RELU).graph())),
                BuiltScenario.bug("narrow-bottleneck", "784-128-2-64-10: a hidden layer of 2 units (a typo for"
                                + " 64) caps what the network can fit",
                        RootCause.of(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH, ONLY_IN_TRAINING, "dense2"),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).hidden(128, bug ? 2 : 64, 64).multiLayer())),
                BuiltScenario.bug("cg-narrow-bottleneck", "a graph 784-2-64-10: the first hidden layer has 2 units",
                        RootCause.of(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH, ONLY_IN_TRAINING, "dense1"),
                        ModelKind.COMPUTATION_GRAPH, Family.CG, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).hidden(bug ? 2 : 128, 64).graph())),
                BuiltScenario.healthy("healthy-mlp-batchnorm", "784-128-64-10 with BatchNormalization (decay 0.9)"
                                + " before each ReLU, Adam(1e-3)", ModelKind.MULTI_LAYER_NETWORK, Family.MLN,
                        d -> FashionScenarios.standard(d, DenseNet.seeded(d.seed()).batchNorm(0.9).multiLayer())));
    }
}
