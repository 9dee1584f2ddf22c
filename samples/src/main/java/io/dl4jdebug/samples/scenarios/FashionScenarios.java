package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;

/**
 * The MultiLayerNetwork scenarios written for the set (the gallery's come through {@link GalleryScenario}): one bug
 * each on Fashion-MNIST ({@value #TRAIN} training and {@value #VALIDATION} test examples, batch {@value #BATCH},
 * {@value #EPOCHS} epochs unless said), and two healthy networks. Stateless.
 */
final class FashionScenarios {

    static final int TRAIN = 1024;
    static final int VALIDATION = 256;
    static final int BATCH = 32;
    static final int EPOCHS = 2;

    private FashionScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                mln("adam-lr-too-high", "3 ReLU layers with Adam(1.0): updates as large as the weights, units die,"
                                + " the loss never improves", RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE, BEFORE_TRAINING),
                        d -> standard(d, DenseNet.seeded(d.seed()).hidden(128, 64, 32).updater(new Adam(1.0))
                                .multiLayer())),
                mln("lr-too-low", "SGD with learning rate 1e-6: the weights barely move",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE, BEFORE_TRAINING),
                        d -> standard(d, DenseNet.seeded(d.seed()).updater(new Sgd(1e-6)).multiLayer())),
                mln("softmax-mse", "softmax classifier trained with LossFunction.MSE (DL4J refuses identity or "
                                + "sigmoid with MCXENT, not this): small gradients, slow and poor learning",
                        RootCause.of(Symptom.LOSS_OUTPUT_MISMATCH, Setting.LOSS_FUNCTION, BEFORE_TRAINING,
                                "output"),
                        d -> standard(d, DenseNet.seeded(d.seed()).output(Activation.SOFTMAX, LossFunction.MSE)
                                .multiLayer())),
                mln("init-too-large", "weights drawn from NormalDistribution(0, 5) in 3 ReLU layers: the signal"
                                + " and the gradients grow by orders of magnitude per layer",
                        RootCause.of(Symptom.EXPLODING_GRADIENT, Setting.WEIGHT_INIT, BEFORE_TRAINING),
                        d -> standard(d, DenseNet.seeded(d.seed()).hidden(128, 64, 64)
                                .weights(new NormalDistribution(0, 5)).multiLayer())),
                mln("init-transient-explosion", "weights drawn from NormalDistribution(0, 2) with Sgd(0.2): the"
                                + " gradients explode for about five iterations, then the ReLU units die; measured every"
                                + " 10 iterations only the dead units would be seen",
                        RootCause.of(Symptom.EXPLODING_GRADIENT, Setting.WEIGHT_INIT, BEFORE_TRAINING),
                        d -> standard(d, DenseNet.seeded(d.seed()).hidden(64, 64)
                                .weights(new NormalDistribution(0, 2)).updater(new Sgd(0.2)).multiLayer())),
                mln("dropout-misread", ".dropOut(0.05) meant as 'drop 5%': DL4J keeps only 5% of the activations",
                        RootCause.of(Symptom.DROPOUT_MISCONFIGURED, Setting.DROPOUT, BEFORE_TRAINING),
                        d -> standard(d, DenseNet.seeded(d.seed()).dropOut(0.05).multiLayer())),
                mln("l2-too-large", ".l2(5): the weight penalty outweighs the data loss",
                        RootCause.of(Symptom.REGULARIZATION_DOMINATES, Setting.REGULARIZATION, ONLY_IN_TRAINING),
                        d -> standard(d, DenseNet.seeded(d.seed()).l2(5).multiLayer())),
                mln("labels-zero-rows", "every 4th label row is all zeros (a class index outside the one-hot range)",
                        RootCause.of(Symptom.LABELS_INVALID, Setting.LABELS, BEFORE_TRAINING),
                        d -> new ScenarioSetup(DenseNet.seeded(d.seed()).multiLayer(), zeroEveryFourthLabel(
                                d.fashion().train(TRAIN)), d.fashion().test(VALIDATION), BATCH, EPOCHS)),
                mln("nan-features", "one pixel of every 8th training example is NaN (a broken feature pipeline)",
                        RootCause.of(Symptom.DATA_NON_FINITE, Setting.INPUT_SCALE, BEFORE_TRAINING),
                        d -> new ScenarioSetup(DenseNet.seeded(d.seed()).multiLayer(), nanInEveryEighth(
                                d.fashion().train(TRAIN)), d.fashion().test(VALIDATION), BATCH, EPOCHS)),
                mln("bn-frozen-running-stats", "BatchNormalization with .decay(1.0) on 0-255 pixels: the running"
                                + " mean/variance never leave 0/1, so inference mode normalises with the wrong statistics",
                        RootCause.of(Symptom.BATCHNORM_MISCONFIGURED, Setting.BATCH_NORMALIZATION, BEFORE_TRAINING,
                                "bn1", "bn2"),
                        d -> new ScenarioSetup(DenseNet.seeded(d.seed()).hidden(128, 128).batchNorm(1.0).multiLayer(),
                                times255(d.fashion().train(TRAIN)), times255(d.fashion().test(VALIDATION)), BATCH,
                                EPOCHS)),
                mln("class-imbalance", "classes 1-9 kept at 10 examples each next to all of class 0",
                        RootCause.of(Symptom.CLASS_IMBALANCE, Set.of(Setting.DATA_SPLIT, Setting.LOSS_FUNCTION),
                                BEFORE_TRAINING),
                        d -> new ScenarioSetup(DenseNet.seeded(d.seed()).multiLayer(), imbalanced(
                                d.fashion().train(2048), 10), d.fashion().test(VALIDATION), BATCH, 3)),
                mln("healthy-mlp", "784-128-64-10 ReLU MLP, Adam(1e-3)", RootCause.healthy(),
                        d -> standard(d, DenseNet.seeded(d.seed()).multiLayer())),
                BuiltScenario.healthy("healthy-cnn", "conv 5x5x8 - max pool - dense 64 - softmax on 28x28x1"
                                + " (convolutionalFlat), Adam(1e-3)", ModelKind.MULTI_LAYER_NETWORK, Family.CNN,
                        d -> new ScenarioSetup(smallCnn(d.seed()), d.fashion().train(512),
                                d.fashion().test(VALIDATION), BATCH, 3)));
    }

    private static LabelledScenario mln(String name, String description, RootCause label,
                                        Function<ScenarioData, ScenarioSetup> builder) {
        return new BuiltScenario(name, description, label, ModelKind.MULTI_LAYER_NETWORK, builder);
    }

    /** @return the network on the standard data: {@value #TRAIN} examples, validation, batch, epochs */
    static ScenarioSetup standard(ScenarioData d, Model network) {
        return new ScenarioSetup(network, d.fashion().train(TRAIN), d.fashion().test(VALIDATION), BATCH, EPOCHS);
    }

    private static MultiLayerNetwork smallCnn(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv").nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).name("output").nOut(FashionMnist.CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
        net.init();
        return net;
    }

    private static DataSet zeroEveryFourthLabel(DataSet data) {
        INDArray labels = data.getLabels();
        for (int i = 0; i < data.numExamples(); i += 4) {
            labels.getRow(i).assign(0);
        }
        return data;
    }

    private static DataSet nanInEveryEighth(DataSet data) {
        INDArray features = data.getFeatures();
        for (int i = 0; i < data.numExamples(); i += 8) {
            features.putScalar(i, 400, Double.NaN);
        }
        return data;
    }

    private static DataSet times255(DataSet data) {
        data.setFeatures(data.getFeatures().muli(255));
        return data;
    }

    /** @return every example of class 0 and the first {@code others} of each other class, in their order */
    private static DataSet imbalanced(DataSet data, int others) {
        INDArray classes = data.getLabels().argMax(1);
        int[] kept = new int[FashionMnist.CLASSES];
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.numExamples(); i++) {
            int c = classes.getInt(i);
            if (c == 0 || kept[c] < others) {
                kept[c]++;
                rows.add(i);
            }
        }
        int[] index = rows.stream().mapToInt(Integer::intValue).toArray();
        return new DataSet(Nd4j.pullRows(data.getFeatures(), 1, index), Nd4j.pullRows(data.getLabels(), 1, index));
    }
}
