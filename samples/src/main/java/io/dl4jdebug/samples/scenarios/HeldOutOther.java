package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;
import java.util.function.BiFunction;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.base;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.dense;
import static io.dl4jdebug.samples.scenarios.HeldOutNets.softmaxOutput;

/**
 * The held-out set's convolutional, recurrent and Keras-imported bugs, each with its healthy twin, and their healthy
 * networks. The CNN is conv 5x5x8 ({@code conv}, optionally {@code bn} and {@code relu} after it) -> max pool
 * ({@code pool}) -> dense 64 ({@code dense}) -> softmax, on {@value HeldOutNets#SMALL_TRAIN} images for 3 epochs; the
 * recurrent network an LSTM ({@code rnn}, last step) -> softmax with Adam(1e-2) over 28 rows of 28 pixels, 2 epochs.
 * Stateless.
 */
final class HeldOutOther {

    private static final int CNN_EPOCHS = 3;
    private static final int RNN_EPOCHS = 2;
    private static final int RNN_UNITS = 32;

    private HeldOutOther() {
    }

    /** @return the CNN, recurrent and Keras bugs, then their healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                bug("ho-cnn-bn-decay-slow", Family.CNN, "BatchNormalization with decay 0.999 (meant 0.9) over 48"
                                + " iterations: its running mean and variance are still ~95% their initial 0 and 1"
                                + " when training ends, so inference normalises with the wrong statistics",
                        RootCause.of(Symptom.TRAIN_INFERENCE_MISMATCH, Setting.BATCH_NORMALIZATION, ONLY_IN_TRAINING,
                                "bn"),
                        (d, bug) -> HeldOutNets.small(d, cnn(d.seed(), bug ? 0.999 : 0.9, 2),
                                CNN_EPOCHS)),
                // nearest setting and symptom: a pooling window too large leaves 2x2 per channel, 32 features in all
                bug("ho-cnn-pool-window-huge", Family.CNN, "max pooling 12x12 stride 12 after the 24x24 conv output"
                                + " (meant 2x2): 8 channels of 2x2 values, 32 features reach the dense layer",
                        RootCause.of(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH, ONLY_IN_TRAINING, "pool"),
                        (d, bug) -> HeldOutNets.small(d, cnn(d.seed(), 0, bug ? 12 : 2),
                                CNN_EPOCHS)),
                bug("ho-lstm-forget-bias-negative", Family.RNN, "the LSTM's forget-gate bias initialised to -6"
                                + " (meant +1): the cell state is wiped every step, only the last rows reach the"
                                + " output",
                        RootCause.of(Symptom.VANISHING_GRADIENT, Setting.BIAS_INIT, ONLY_IN_TRAINING, "rnn"),
                        (d, bug) -> HeldOutNets.sequences(d, lstm(d.seed(), RNN_UNITS, bug ? -6 : 1), RNN_EPOCHS)),
                bug("ho-lstm-two-units", Family.RNN, "an LSTM of 2 units (nOut typed 2, meant 32): the whole image"
                                + " must pass through a 2-value state",
                        RootCause.of(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH, ONLY_IN_TRAINING, "rnn"),
                        (d, bug) -> HeldOutNets.sequences(d, lstm(d.seed(), bug ? 2 : RNN_UNITS, 1), RNN_EPOCHS)),
                bug("ho-keras-adam-decay-typo", Family.KERAS, "a Keras model compiled with Adam(1e-3, decay=5.0)"
                                + " (meant 5e-4): imported as InverseSchedule, the rate is lr/(1+5t), 1/300 of it"
                                + " after 60 iterations",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE_SCHEDULE, ONLY_IN_TRAINING),
                        (d, bug) -> HeldOutNets.standard(d, new HeldOutKeras(64, "softmax",
                                "categorical_crossentropy", 1e-3, bug ? 5.0 : 5e-4).load(d, "ho-decay-" + bug), 2)),
                bug("ho-keras-sigmoid-categorical", Family.KERAS, "a Keras model whose output is sigmoid with"
                                + " categorical_crossentropy: DL4J imports it as MCXENT on unnormalised sigmoids, only"
                                + " the true class is pushed, every output drifts to 1",
                        RootCause.of(Symptom.LOSS_OUTPUT_MISMATCH, Setting.LOSS_FUNCTION, BEFORE_TRAINING, "probs",
                                "probs_loss"),
                        (d, bug) -> HeldOutNets.standard(d, new HeldOutKeras(64, bug ? "sigmoid" : "softmax",
                                "categorical_crossentropy", 1e-3, 0).load(d, "ho-sigmoid-" + bug), 2)),
                BuiltScenario.healthy("ho-healthy-cnn-bn", "the CNN with BatchNormalization (decay 0.9) between"
                                + " conv and ReLU", ModelKind.MULTI_LAYER_NETWORK, Family.CNN,
                        d -> HeldOutNets.small(d, cnn(d.seed(), 0.9, 2),
                                CNN_EPOCHS)),
                BuiltScenario.healthy("ho-healthy-lstm", "an LSTM of 32 units, forget-gate bias +1, over 28 rows",
                        ModelKind.MULTI_LAYER_NETWORK, Family.RNN,
                        d -> HeldOutNets.sequences(d, lstm(d.seed(), RNN_UNITS, 1), RNN_EPOCHS)),
                BuiltScenario.healthy("ho-healthy-keras-mlp", "a Keras Dense(128, relu) -> Dense(10, softmax) model"
                                + " compiled with Adam(1e-3)", ModelKind.MULTI_LAYER_NETWORK, Family.KERAS,
                        d -> HeldOutNets.standard(d, new HeldOutKeras(128, "softmax", "categorical_crossentropy",
                                1e-3, 0).load(d, "ho-healthy"), 2)));
    }

    private static LabelledScenario bug(String name, Family family, String description, RootCause label,
                                        BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.MULTI_LAYER_NETWORK, family, setup);
    }

    /**
     * @param bnDecay    the BatchNormalization's decay, 0 for none
     * @param pool       the pooling window and stride
     * @return the CNN
     */
    private static MultiLayerNetwork cnn(long seed, double bnDecay, int pool) {
        NeuralNetConfiguration.ListBuilder b = base(seed).list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv").nOut(8)
                        .activation(bnDecay > 0 ? Activation.IDENTITY : Activation.RELU).build());
        if (bnDecay > 0) {
            b.layer(new BatchNormalization.Builder().name("bn").decay(bnDecay).build())
                    .layer(new ActivationLayer.Builder().name("relu").activation(Activation.RELU).build());
        }
        b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(pool, pool)
                        .stride(pool, pool).build())
                .layer(dense("dense", 64, Activation.RELU).build())
                .layer(softmaxOutput().build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1));
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /** @return LSTM (last step) -> softmax, Xavier init, Adam(1e-2) */
    private static MultiLayerNetwork lstm(long seed, int units, double forgetBias) {
        LSTM rnn = new LSTM.Builder().name("rnn").nIn(FashionMnist.COLUMNS).nOut(units).activation(Activation.TANH)
                .forgetGateBiasInit(forgetBias).build();
        MultiLayerNetwork net = new MultiLayerNetwork(base(seed).weightInit(WeightInit.XAVIER)
                .updater(new Adam(1e-2)).list()
                .layer(new LastTimeStep(rnn))
                .layer(softmaxOutput().nIn(units).build())
                .build());
        net.init();
        return net;
    }
}
