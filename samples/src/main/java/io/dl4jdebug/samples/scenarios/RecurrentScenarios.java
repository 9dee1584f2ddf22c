package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import io.dl4jdebug.samples.gallery.SaturatedRnn;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;
import java.util.function.BiFunction;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;

/**
 * Recurrent scenarios over 28-step Fashion-MNIST sequences ({@link FashionMnist#asSequences}): the gallery's two
 * recurrent bugs and its healthy SimpleRnn, and bugs on a recurrent classifier ({@code rnn}: SimpleRnn or LSTM of
 * {@value #UNITS} tanh units, Xavier, read at the last step; {@code output} softmax; Adam(5e-3); {@value #TRAIN}
 * sequences, {@value #EPOCHS} epochs of {@value FashionScenarios#BATCH}) each with its healthy twin, and a healthy
 * clipped LSTM. Stateless.
 */
final class RecurrentScenarios {

    static final int UNITS = 32;
    static final int TRAIN = 512;
    static final int EPOCHS = 2;

    private RecurrentScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                GalleryScenario.of("exploding-rnn", RootCause.of(Symptom.EXPLODING_GRADIENT, java.util.Set.of(
                        Setting.WEIGHT_INIT, Setting.GRADIENT_NORMALIZATION), ONLY_IN_TRAINING, "rnn"), Family.RNN),
                GalleryScenario.of("saturated-rnn", RootCause.of(Symptom.SATURATED_ACTIVATIONS, Setting.WEIGHT_INIT,
                        BEFORE_TRAINING, "rnn"), Family.RNN),
                rnn("rnn-lr-too-high", "the SimpleRnn with Adam(0.5): every step overshoots",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE, BEFORE_TRAINING),
                        (d, bug) -> setup(d, new Rnn(d.seed()).updater(new Adam(bug ? 0.5 : 5e-3)).build())),
                rnn("rnn-l2-too-large", "the SimpleRnn with .l2(1.0): the penalty's gradient outweighs the data's, the"
                                + " recurrent and input weights are pulled to 0",
                        RootCause.of(Symptom.REGULARIZATION_DOMINATES, Setting.REGULARIZATION, ONLY_IN_TRAINING),
                        (d, bug) -> setup(d, new Rnn(d.seed()).l2(bug ? 1.0 : 0).build())),
                rnn("lstm-lr-decays-to-nothing", "an LSTM with Adam(ExponentialSchedule(ITERATION, 5e-3, 0.8)): the"
                                + " rate is 5e-5 after 20 of its 32 iterations",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE_SCHEDULE, ONLY_IN_TRAINING),
                        (d, bug) -> setup(d, new Rnn(d.seed()).lstm().updater(bug ? new Adam(new ExponentialSchedule(
                                ScheduleType.ITERATION, 5e-3, 0.8)) : new Adam(5e-3)).build())),
                rnn("rnn-narrow", "a SimpleRnn of 2 units (a typo for 32): the state cannot hold the image",
                        RootCause.of(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH, ONLY_IN_TRAINING, "rnn"),
                        (d, bug) -> setup(d, new Rnn(d.seed()).units(bug ? 2 : UNITS).build())),
                BuiltScenario.healthy("healthy-rnn", "SimpleRnn (32, tanh, Xavier) over 28-step Fashion-MNIST"
                                + " sequences, Adam(5e-3)", ModelKind.MULTI_LAYER_NETWORK, Family.RNN,
                        d -> ScenarioSetup.of(SaturatedRnn.learning(d.fashion()))),
                BuiltScenario.healthy("healthy-lstm-clipped", "LSTM (32) over 28-step sequences, Adam(5e-3),"
                                + " ClipElementWiseAbsoluteValue at 1.0", ModelKind.MULTI_LAYER_NETWORK, Family.RNN,
                        d -> setup(d, new Rnn(d.seed()).lstm()
                                .clipping(GradientNormalization.ClipElementWiseAbsoluteValue, 1.0).build())));
    }

    private static LabelledScenario rnn(String name, String description, RootCause label,
                                        BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.MULTI_LAYER_NETWORK, Family.RNN, setup);
    }

    private static ScenarioSetup setup(ScenarioData d, MultiLayerNetwork net) {
        return new ScenarioSetup(net, FashionMnist.asSequences(d.fashion().train(TRAIN)),
                FashionMnist.asSequences(d.fashion().test(FashionScenarios.VALIDATION)), FashionScenarios.BATCH,
                EPOCHS);
    }

    /** The scenarios' recurrent classifier with one setting changed. Not thread safe. */
    private static final class Rnn {
        private final long seed;
        private boolean lstm;
        private int units = UNITS;
        private IUpdater updater = new Adam(5e-3);
        private GradientNormalization clipping = GradientNormalization.None;
        private double threshold = 1.0;
        private double l2;

        Rnn(long seed) {
            this.seed = seed;
        }

        Rnn lstm() {
            this.lstm = true;
            return this;
        }

        Rnn units(int n) {
            this.units = n;
            return this;
        }

        Rnn updater(IUpdater u) {
            this.updater = u;
            return this;
        }

        Rnn l2(double l2) {
            this.l2 = l2;
            return this;
        }

        Rnn clipping(GradientNormalization type, double threshold) {
            this.clipping = type;
            this.threshold = threshold;
            return this;
        }

        MultiLayerNetwork build() {
            org.deeplearning4j.nn.conf.layers.Layer rnn = lstm
                    ? new LSTM.Builder().name("rnn").nIn(FashionMnist.COLUMNS).nOut(units)
                    .activation(Activation.TANH).build()
                    : new SimpleRnn.Builder().name("rnn").nIn(FashionMnist.COLUMNS).nOut(units)
                    .activation(Activation.TANH).build();
            NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                    .l2(l2).weightInit(WeightInit.XAVIER);
            if (clipping != GradientNormalization.None) {
                b.gradientNormalization(clipping).gradientNormalizationThreshold(threshold);
            }
            MultiLayerNetwork net = new MultiLayerNetwork(b.list().layer(new LastTimeStep(rnn))
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nIn(units)
                            .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build())
                    .build());
            net.init();
            return net;
        }
    }
}
