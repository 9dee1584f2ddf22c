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
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
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
 * Convolutional bugs on 28x28 Fashion-MNIST: the healthy CNN ({@code conv} 5x5x8 ReLU, {@code pool} 2x2 max,
 * {@code dense} 64 ReLU, {@code output} softmax; Adam(1e-3); {@value #TRAIN} examples, {@value #EPOCHS} epochs of
 * {@value FashionScenarios#BATCH}) with one bug each and its healthy twin, and a healthy CNN with BatchNormalization
 * and l2. Stateless.
 */
final class CnnScenarios {

    static final int TRAIN = 512;
    static final int EPOCHS = 3;

    private CnnScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                cnn("cnn-unnormalized", "the CNN fed raw 0-255 pixels",
                        RootCause.of(Symptom.DATA_UNNORMALIZED, Setting.INPUT_SCALE, BEFORE_TRAINING),
                        (d, bug) -> setup(d, new Cnn(d.seed()).build(), bug ? 255 : 1)),
                cnn("cnn-dropout-misread", ".dropOut(0.1) on the CNN's dense layer, meant as 'drop 10%': DL4J keeps"
                                + " 10%",
                        RootCause.of(Symptom.DROPOUT_MISCONFIGURED, Setting.DROPOUT, BEFORE_TRAINING, "dense"),
                        (d, bug) -> setup(d, new Cnn(d.seed()).dropOut(bug ? 0.1 : 0).build(), 1)),
                cnn("cnn-lr-decays-to-nothing", "the CNN with Adam(ExponentialSchedule(ITERATION, 1e-3, 0.8)): the"
                                + " rate is 1e-5 after 20 of its 48 iterations",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE_SCHEDULE, ONLY_IN_TRAINING),
                        (d, bug) -> setup(d, new Cnn(d.seed()).updater(bug ? new Adam(new ExponentialSchedule(
                                ScheduleType.ITERATION, 1e-3, 0.8)) : new Adam(1e-3)).build(), 1)),
                cnn("cnn-narrow-dense", "the CNN's dense layer with 2 units (a typo for 64): a bottleneck before the"
                                + " output",
                        RootCause.of(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH, ONLY_IN_TRAINING, "dense"),
                        (d, bug) -> setup(d, new Cnn(d.seed()).denseWidth(bug ? 2 : 64).build(), 1)),
                cnn("cnn-dead-bias", ".biasInit(-1.0) on the convolution: almost every ReLU of conv starts (and"
                                + " stays) at 0",
                        RootCause.of(Symptom.DEAD_UNITS, Setting.BIAS_INIT, ONLY_IN_TRAINING, "conv"),
                        (d, bug) -> setup(d, new Cnn(d.seed()).convBias(bug ? -1.0 : 0).build(), 1)),
                BuiltScenario.healthy("healthy-cnn-batchnorm", "conv 5x5x8 - BatchNormalization - max pool - dense"
                                + " 64 - softmax, .l2(1e-4), Adam(1e-3)", ModelKind.MULTI_LAYER_NETWORK, Family.CNN,
                        d -> setup(d, new Cnn(d.seed()).batchNorm().l2(1e-4).build(), 1)));
    }

    private static LabelledScenario cnn(String name, String description, RootCause label,
                                        BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.MULTI_LAYER_NETWORK, Family.CNN, setup);
    }

    private static ScenarioSetup setup(ScenarioData d, MultiLayerNetwork net, double scale) {
        return new ScenarioSetup(net, scaled(d.fashion().train(TRAIN), scale),
                scaled(d.fashion().test(FashionScenarios.VALIDATION), scale), FashionScenarios.BATCH, EPOCHS);
    }

    private static DataSet scaled(DataSet data, double scale) {
        if (scale != 1) {
            data.setFeatures(data.getFeatures().muli(scale));
        }
        return data;
    }

    /** The scenarios' CNN with one setting changed. Not thread safe. */
    private static final class Cnn {
        private final long seed;
        private IUpdater updater = new Adam(1e-3);
        private double dropOut;
        private int denseWidth = 64;
        private double convBias;
        private boolean batchNorm;
        private double l2;

        Cnn(long seed) {
            this.seed = seed;
        }

        Cnn updater(IUpdater u) {
            this.updater = u;
            return this;
        }

        Cnn dropOut(double retain) {
            this.dropOut = retain;
            return this;
        }

        Cnn denseWidth(int n) {
            this.denseWidth = n;
            return this;
        }

        Cnn convBias(double b) {
            this.convBias = b;
            return this;
        }

        Cnn batchNorm() {
            this.batchNorm = true;
            return this;
        }

        Cnn l2(double l2) {
            this.l2 = l2;
            return this;
        }

        MultiLayerNetwork build() {
            DenseLayer.Builder dense = new DenseLayer.Builder().name("dense").nOut(denseWidth)
                    .activation(Activation.RELU);
            if (dropOut > 0) {
                dense.dropOut(dropOut);
            }
            NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                    .l2(l2).weightInit(WeightInit.RELU).list()
                    .layer(new ConvolutionLayer.Builder(5, 5).name("conv").nOut(8).biasInit(convBias)
                            .activation(batchNorm ? Activation.IDENTITY : Activation.RELU).build());
            if (batchNorm) {
                b.layer(new BatchNormalization.Builder().name("bn").build())
                        .layer(new ActivationLayer.Builder().name("relu").activation(Activation.RELU).build());
            }
            b.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                            .stride(2, 2).build())
                    .layer(dense.build())
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(FashionMnist.CLASSES)
                            .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                    .setInputType(InputType.convolutionalFlat(28, 28, 1));
            MultiLayerNetwork net = new MultiLayerNetwork(b.build());
            net.init();
            return net;
        }
    }
}
