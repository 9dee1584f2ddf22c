package io.dl4jdebug.facts;

import io.dl4jdebug.diagnose.LayerSettings;
import io.dl4jdebug.diagnose.NetworkFacts;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings on the gradient-to-update path and the unit symmetry, read from real networks. */
class UpdatePathFactsTest {

    private static MultiLayerNetwork net(IUpdater updater, WeightInit hiddenInit, boolean miniBatch, int width) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(updater)
                .miniBatch(miniBatch).l1(1e-4).weightDecay(1e-3)
                .gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(0.5)
                .list()
                .layer(new DenseLayer.Builder().name("h").nIn(6).nOut(width).activation(Activation.RELU)
                        .weightInit(hiddenInit).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(width).nOut(4)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    @Test
    void readsTheScheduleTheUpdaterParametersAveragingRegularizationClippingAndWidth() {
        NetworkFacts facts = NetworkFactsReader.read(net(new Adam(new ExponentialSchedule(ScheduleType.ITERATION,
                0.01, 0.5)), WeightInit.XAVIER, false, 5));

        LayerSettings h = facts.layer("h").orElseThrow().settings();
        assertThat(h.width()).isEqualTo(5);
        assertThat(h.scheduled()).isTrue();
        assertThat(h.rateAt(0, 0).getAsDouble()).isEqualTo(0.01);
        assertThat(h.rateAt(20, 0).getAsDouble()).isCloseTo(0.01 * Math.pow(0.5, 20), org.assertj.core.data
                .Percentage.withPercentage(1));
        assertThat(h.updaterParameter("beta1").getAsDouble()).isEqualTo(0.9);
        assertThat(h.updaterParameter("epsilon").getAsDouble()).isEqualTo(1e-8);
        assertThat(h.l1()).isEqualTo(1e-4);
        assertThat(h.weightDecay()).isEqualTo(1e-3);
        assertThat(h.clipThreshold()).isEqualTo(0.5);
        assertThat(facts.miniBatchAveraged()).isFalse();
        assertThat(facts.freshWeights()).isTrue();
        assertThat(facts.outputWidth()).isEqualTo(4);
        assertThat(facts.inferenceDiffers()).isFalse();
    }

    @Test
    void anEpochScheduleIsReadByEpochAndAFixedRateHasNoSchedule() {
        LayerSettings stepped = NetworkFactsReader.read(net(new Nesterovs(new StepSchedule(ScheduleType.EPOCH, 0.1,
                0.1, 1), 0.95), WeightInit.XAVIER, true, 5)).layer("h").orElseThrow().settings();
        assertThat(stepped.rateAt(100_000, 0).getAsDouble()).isEqualTo(0.1);
        assertThat(stepped.rateAt(0, 3).getAsDouble()).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(stepped.updaterParameter("momentum").getAsDouble()).isEqualTo(0.95);

        LayerSettings fixed = NetworkFactsReader.read(net(new Adam(1e-3), WeightInit.XAVIER, true, 5))
                .layer("h").orElseThrow().settings();
        assertThat(fixed.scheduled()).isFalse();
        assertThat(fixed.rateAt(10, 0)).isEmpty();
    }

    @Test
    void aConstantInitLeavesTheUnitsIdenticalAndARandomOneDoesNot() {
        assertThat(NetworkFactsReader.read(net(new Adam(1e-3), WeightInit.ONES, true, 5)).identicalUnits())
                .containsExactly("h");
        assertThat(NetworkFactsReader.read(net(new Adam(1e-3), WeightInit.ZERO, true, 5)).identicalUnits())
                .containsExactly("h");
        assertThat(NetworkFactsReader.read(net(new Adam(1e-3), WeightInit.XAVIER, true, 5)).identicalUnits())
                .isEmpty();
    }

    @Test
    void aTrainedNetworkIsNotFresh() {
        MultiLayerNetwork n = net(new Adam(1e-3), WeightInit.XAVIER, true, 5);
        n.fit(new org.nd4j.linalg.dataset.DataSet(org.nd4j.linalg.factory.Nd4j.rand(8, 6),
                org.nd4j.linalg.factory.Nd4j.eye(4).repeat(0, 2)));
        assertThat(NetworkFactsReader.read(n).freshWeights()).isFalse();
    }
}
