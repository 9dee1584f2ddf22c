package io.dl4jdebug.listener;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every symptom of the rule engine provoked by a short real DL4J training run, each with a healthy twin that stays
 * silent. Monitors measure every 2nd iteration so the rules' patience is reached within a few dozen iterations.
 */
class DiagnosisOnRealRunsTest {

    private static DebugSuite suite(DataSetIterator validation) {
        return DebugSuite.builder().logging(false)
                .gradientConfig(GradientMonitorConfig.builder().schedule(Schedule.every(2)).build())
                .activationConfig(ActivationMonitorConfig.builder().schedule(Schedule.every(2)).build())
                .lossSchedule(Schedule.every(5))
                .validation(validation)
                .build();
    }

    private static DebugSuite epochsOnly(DataSetIterator validation) {
        return DebugSuite.builder().logging(false).gradientMonitor(false).activationMonitor(false)
                .validation(validation).build();
    }

    private static List<Finding> warnings(DebugSuite s) {
        return s.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
    }

    private static List<Finding> of(DebugSuite s, Symptom symptom) {
        return s.findings().stream().filter(f -> f.symptom() == symptom).toList();
    }

    private static DataSetIterator slice(int from, int to, int batch) {
        DataSet all = FashionData.train(to);
        DataSet part = (DataSet) all.getRange(from, to);
        return new ListDataSetIterator<>(part.asList(), batch);
    }

    private static MultiLayerNetwork mlp(IUpdater updater, double l2, IUpdater hiddenUpdater, int... hidden) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(WeightInit.RELU).l2(l2).list();
        int nIn = TestNets.IN;
        for (int i = 0; i < hidden.length; i++) {
            DenseLayer.Builder d = new DenseLayer.Builder().name("h" + i).nIn(nIn).nOut(hidden[i])
                    .activation(Activation.RELU);
            if (hiddenUpdater != null && i == 1) {
                d.updater(hiddenUpdater);
            }
            b.layer(d.build());
            nIn = hidden[i];
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(nIn)
                .nOut(TestNets.CLASSES).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    @Test
    void healthyMlpWithValidationIsSilent() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite s = suite(slice(1024, 1536, 128)).attachTo(net);
        net.fit(s.guard(FashionData.iterator(768, 32)), 3);
        assertThat(warnings(s)).isEmpty();
        assertThat(s.recording().scoreSnapshots()).hasSize(72);
        assertThat(s.recording().epochSnapshots()).hasSize(3)
                .allSatisfy(e -> assertThat(e.validationMeasured()).isTrue());
        assertThat(s.fittingStatus()).isEqualTo(FittingStatus.KEEP_WATCHING);
    }

    @Test
    void healthyResidualGraphIsSilent() {
        var net = TestNets.residual(TestNets.spec());
        DebugSuite s = suite(null).attachTo(net);
        net.fit(s.guard(FashionData.iterator(512, 32)), 2);
        // At most ~34% of r1's units are silent on a whole minibatch of 32, below the 0.5 threshold: no DEAD_UNITS.
        assertThat(warnings(s)).isEmpty();
        assertThat(s.recording().epochSnapshots()).hasSize(2);
    }

    @Test
    void healthyResidualGraphOnMinibatchesOfFourHasNoDeadUnits() {
        // On 4 examples more than half of the healthy ReLU units are zero by chance (up to 63% measured); a
        // unit silent on 4 examples is not dead, so these checks are not judged.
        var net = TestNets.residual(TestNets.spec());
        DebugSuite s = suite(null).attachTo(net);
        net.fit(s.guard(FashionData.iterator(256, 4)), 1);
        assertThat(of(s, Symptom.DEAD_UNITS)).isEmpty();
        assertThat(s.recording().activationSnapshots()).isNotEmpty()
                .anySatisfy(a -> assertThat(a.layers()).anySatisfy(l -> assertThat(l.deadUnitFraction())
                        .isGreaterThanOrEqualTo(0.5)));
    }

    @Test
    void tooHighLearningRateIsReportedByRatioAndLossCurve() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Adam(0.5)));
        DebugSuite s = suite(null).attachTo(net);
        net.fit(s.guard(FashionData.iterator(1024, 32)), 1);
        assertThat(of(s, Symptom.LEARNING_RATE_TOO_HIGH)).isNotEmpty().allSatisfy(f -> {
            assertThat(f.level()).isEqualTo(Level.OPTIMIZATION);
            assertThat(f.parameter()).isEqualTo("W");
            assertThat(f.firstIteration()).isZero();
        }).extracting(Finding::layer).contains("h0");
        assertThat(of(s, Symptom.LOSS_DIVERGING)).singleElement()
                .satisfies(f -> assertThat(f.level()).isEqualTo(Level.NUMERICAL));
    }

    @Test
    void tooLowLearningRateIsReportedByRatioAndFlatLoss() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Sgd(1e-6)));
        DebugSuite s = suite(null).attachTo(net);
        net.fit(s.guard(FashionData.iterator(1024, 16)), 1);
        assertThat(of(s, Symptom.LEARNING_RATE_TOO_LOW)).extracting(Finding::layer, Finding::parameter)
                .contains(org.assertj.core.groups.Tuple.tuple("h0", "W"));
        assertThat(of(s, Symptom.LOSS_NOT_DECREASING)).singleElement()
                .satisfies(f -> assertThat(f.level()).isEqualTo(Level.OPTIMIZATION));
        assertThat(of(s, Symptom.LEARNING_RATE_TOO_HIGH)).isEmpty();
    }

    @Test
    void aLayerWithLearningRateZeroIsNotUpdating() {
        MultiLayerNetwork net = mlp(new Adam(1e-3), 0, new Sgd(0.0), 64, 32);
        DebugSuite s = suite(null).attachTo(net);
        net.fit(s.guard(FashionData.iterator(512, 32)), 1);
        assertThat(of(s, Symptom.WEIGHTS_NOT_UPDATING)).extracting(Finding::layer, Finding::parameter)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("h1", "W"),
                        org.assertj.core.groups.Tuple.tuple("h1", "b"));
        assertThat(warnings(s)).extracting(Finding::symptom).containsOnly(Symptom.WEIGHTS_NOT_UPDATING);
    }

    @Test
    void identicalExamplesCollapseTheActivations() {
        DataSet real = FashionData.train(512);
        INDArray first = real.getFeatures().getRow(0, true);
        DataSet repeated = new DataSet(first.repeat(0, 512), real.getLabels());
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite s = suite(null).attachTo(net);
        net.fit(s.guard(new ListDataSetIterator<>(repeated.asList(), 32)), 1);
        assertThat(of(s, Symptom.ACTIVATION_COLLAPSE)).extracting(Finding::layer).contains("h0", "h1");
        assertThat(of(s, Symptom.ACTIVATION_COLLAPSE)).allSatisfy(f -> {
            assertThat(f.level()).isEqualTo(Level.NUMERICAL);
            assertThat(f.evidence().get("relativeSpread")).isLessThan(1e-3);
            assertThat(f.suggestions().get(0)).contains("data pipeline");
        });
    }

    private static DataSet regression() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(200, 10);
        INDArray y = x.mmul(Nd4j.randn(10, 1)).addi(Nd4j.randn(200, 1).muli(0.1));
        return new DataSet(x, y);
    }

    private static DebugSuite fitRegression(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(updater)
                .list().layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(10).nOut(1)
                        .activation(Activation.IDENTITY).build()).build());
        net.init();
        DebugSuite s = suite(null).attachTo(net);
        DataSet data = regression();
        for (int i = 0; i < 200; i++) {
            net.fit(data);
        }
        return s;
    }

    @Test
    void tooMuchMomentumMakesTheLossOscillate() {
        DebugSuite s = fitRegression(new Nesterovs(0.01, 0.99));
        assertThat(of(s, Symptom.LOSS_OSCILLATING)).singleElement()
                .satisfies(f -> assertThat(f.evidence().get("swingsUp")).isGreaterThanOrEqualTo(2));
    }

    @Test
    void moderateMomentumRegressionIsSilent() {
        assertThat(warnings(fitRegression(new Nesterovs(0.01, 0.5)))).isEmpty();
    }

    @Test
    void memorisingASmallTrainingSetIsOverfitting() {
        MultiLayerNetwork net = mlp(new Adam(1e-3), 0, null, 128);
        DebugSuite s = epochsOnly(slice(1024, 1536, 512)).attachTo(net);
        net.fit(s.guard(FashionData.iterator(128, 64)), 25);
        assertThat(of(s, Symptom.OVERFITTING)).as("a gap while the validation loss still improves is no verdict: %s",
                s.recording().epochSnapshots()).isEmpty();
        net.fit(s.guard(FashionData.iterator(128, 64)), 75);
        assertThat(of(s, Symptom.OVERFITTING)).as("%s", s.recording().epochSnapshots()).singleElement()
                .satisfies(f -> {
                    assertThat(f.level()).isEqualTo(Level.OPTIMIZATION);
                    assertThat(f.evidence()).containsKeys("trainLoss", "validationLoss", "gap", "validationRise");
                });
        assertThat(s.fittingStatus()).isEqualTo(FittingStatus.OVERFITTING);
    }

    @Test
    void aOneUnitBottleneckUnderfitsAfterFiftyEpochsAndAWideNetDoesNot() {
        MultiLayerNetwork narrow = mlp(new Adam(1e-3), 0, null, 1);
        DebugSuite s = epochsOnly(null).attachTo(narrow);
        narrow.fit(s.guard(FashionData.iterator(128, 128)), 50);
        assertThat(of(s, Symptom.UNDERFITTING)).singleElement()
                .satisfies(f -> assertThat(f.evidence().get("trainLoss")).isGreaterThan(0.5));

        MultiLayerNetwork wide = mlp(new Adam(3e-3), 0, null, 64);
        DebugSuite twin = epochsOnly(null).attachTo(wide);
        wide.fit(twin.guard(FashionData.iterator(128, 128)), 50);
        assertThat(of(twin, Symptom.UNDERFITTING)).isEmpty();
        assertThat(twin.recording().epochSnapshots().get(49).trainLoss()).isLessThan(0.5);
    }

    @Test
    void hugeL2DominatesTheLossAndSmallL2DoesNot() {
        MultiLayerNetwork heavy = mlp(new Adam(1e-3), 0.5, null, 64, 32);
        DebugSuite s = suite(null).attachTo(heavy);
        heavy.fit(s.guard(FashionData.iterator(512, 32)), 1);
        assertThat(of(s, Symptom.REGULARIZATION_DOMINATES)).singleElement()
                .satisfies(f -> assertThat(f.evidence().get("regularizationShare")).isGreaterThan(0.5));

        MultiLayerNetwork light = mlp(new Adam(1e-3), 1e-4, null, 64, 32);
        DebugSuite twin = suite(null).attachTo(light);
        light.fit(twin.guard(FashionData.iterator(512, 32)), 1);
        assertThat(warnings(twin)).isEmpty();
        assertThat(twin.recording().scoreSnapshots()).filteredOn(x -> x.regularizationMeasured()).isNotEmpty()
                .allSatisfy(x -> assertThat(x.regularization()).isGreaterThan(0));
    }

}
