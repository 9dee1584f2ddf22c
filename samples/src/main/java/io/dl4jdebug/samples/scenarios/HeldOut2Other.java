package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.function.BiFunction;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.base;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.dense;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.softmaxOutput;

/**
 * The second held-out set's convolutional, recurrent and Keras-imported bugs, each with its healthy twin, and their
 * healthy networks. The CNNs train on {@value HeldOutNets#SMALL_TRAIN} images for 3 epochs; the recurrent networks
 * ({@code rnn}, last step -> softmax, Adam(1e-2)) read 28 rows of 28 pixels for 2 epochs; the Keras models
 * ({@link HeldOutKeras} with Adam(1e-3) and an epsilon) train on {@value HeldOutNets#TRAIN} examples for 2 epochs. Stateless.
 */
final class HeldOut2Other {

    private static final int CNN_EPOCHS = 3;
    private static final int RNN_EPOCHS = 2;
    private static final int RNN_UNITS = 32;

    private HeldOut2Other() {
    }

    /** @return the CNN, recurrent and Keras bugs, then their healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                bug("h2-cnn-sgd-rate-from-adam", Family.CNN, "a CNN moved from Adam to Sgd keeping Adam's rate 1e-3"
                                + " (Sgd needs ~5e-2): 48 steps of 1e-3 times the raw gradient barely move it",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE, ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.small(d, cnn(d.seed(), new Sgd(bug ? 1e-3 : 5e-2)),
                                CNN_EPOCHS)),
                bug("h2-lstm-gate-activation-relu", Family.RNN, "an LSTM whose gateActivationFunction is set to"
                                + " ReLU (meant for its activation; gates must stay sigmoid): the forget gate can exceed"
                                + " 1, the cell state and its gradients grow step after step",
                        RootCause.of(Symptom.EXPLODING_GRADIENT, Setting.ACTIVATION, ONLY_IN_TRAINING, "rnn"),
                        (d, bug) -> HeldOutNets.sequences(d, lstm(d.seed(), 0,
                                bug ? Activation.RELU : Activation.SIGMOID), RNN_EPOCHS)),
                bug("h2-lstm-dropout-misread", Family.RNN, "an LSTM with .dropOut(0.1) meant as 'drop 10 %':"
                                + " DL4J keeps 10 % of the input pixels of every step and scales them 10x",
                        RootCause.of(Symptom.DROPOUT_MISCONFIGURED, Setting.DROPOUT, BEFORE_TRAINING, "rnn"),
                        (d, bug) -> HeldOutNets.sequences(d, lstm(d.seed(), bug ? 0.1 : 0, Activation.SIGMOID),
                                RNN_EPOCHS)),
                bug("h2-keras-adam-epsilon-one", Family.KERAS, "a Keras model compiled with Adam(1e-3, epsilon=1.0)"
                                + " (the value Keras' docs suggest for Inception on ImageNet): the denominator is ~1,"
                                + " Adam becomes Sgd(1e-3) with momentum",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.UPDATER, ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, adam(128, bug ? 1.0 : 1e-7).load(d, "h2-epsilon-" + bug),
                                2)),
                BuiltScenario.healthy("h2-healthy-cnn-two-conv", "two convolutions (5x5x16, 3x3x32) with He init,"
                                + " max pooling, dense 64, Adam(1e-3)", ModelKind.MULTI_LAYER_NETWORK, Family.CNN,
                        d -> HeldOutNets.small(d, cnn(d.seed(), new Adam(1e-3)), CNN_EPOCHS)),
                BuiltScenario.healthy("h2-healthy-lstm-three-epochs", "an LSTM of 32 units, forget-gate bias +1,"
                                + " sigmoid gates, Adam(1e-2), over 28 rows for 3 epochs", ModelKind.MULTI_LAYER_NETWORK,
                        Family.RNN, d -> HeldOutNets.sequences(d, lstm(d.seed(), 0, Activation.SIGMOID), 3)),
                BuiltScenario.healthy("h2-healthy-keras-wide", "a Keras Dense(256, relu) -> Dense(10, softmax) model"
                                + " compiled with Adam(1e-3)", ModelKind.MULTI_LAYER_NETWORK, Family.KERAS,
                        d -> HeldOutNets.standard(d, adam(256, 1e-7).load(d, "h2-healthy-wide"), 2)));
    }

    /** @return a Keras Dense(hidden, relu) -> Dense(10, softmax) compiled with Adam(1e-3, epsilon) */
    private static HeldOutKeras adam(int hidden, double epsilon) {
        return new HeldOutKeras(hidden, "softmax", "categorical_crossentropy", 1e-3, 0, epsilon);
    }
    private static LabelledScenario bug(String name, Family family, String description, RootCause label,
                                        BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.MULTI_LAYER_NETWORK, family, setup);
    }

    /** @return conv1 (5x5x16) -> conv2 (3x3x32) -> pool (2x2) -> dense (64) -> softmax, He init, this updater */
    private static MultiLayerNetwork cnn(long seed, IUpdater updater) {
        NeuralNetConfiguration.ListBuilder b = base(seed).updater(updater).list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(16).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(dense("dense", 64, Activation.RELU).build())
                .layer(softmaxOutput().build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /**
     * @param retain the dropOut retain probability, 0 for none
     * @param gates  the gates' activation
     * @return LSTM (last step, tanh, forget bias +1) -> softmax, Xavier init, Adam(1e-2)
     */
    private static MultiLayerNetwork lstm(long seed, double retain, Activation gates) {
        LSTM.Builder rnn = new LSTM.Builder().name("rnn").nIn(FashionMnist.COLUMNS).nOut(RNN_UNITS)
                .activation(Activation.TANH).gateActivationFunction(gates).forgetGateBiasInit(1);
        if (retain > 0) {
            rnn.dropOut(retain);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(base(seed).weightInit(WeightInit.XAVIER)
                .updater(new Adam(1e-2)).list()
                .layer(new LastTimeStep(rnn.build()))
                .layer(softmaxOutput().nIn(RNN_UNITS).build())
                .build());
        net.init();
        return net;
    }
}
