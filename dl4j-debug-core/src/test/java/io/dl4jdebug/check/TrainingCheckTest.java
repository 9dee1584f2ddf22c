package io.dl4jdebug.check;

import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TrainingCheck} on real small networks and Fashion-MNIST: healthy runs pass, broken ones fail with the fix. */
class TrainingCheckTest {

    @Test
    void healthyNetworkPasses() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        TrainingResult result = TrainingCheck.of(net).data(FashionData.iterator(512, 32)).iterations(48)
                .requireLearning().run();

        assertThat(result.iterations()).isEqualTo(48);
        assertThat(result.loss().iterations()).isEqualTo(48);
        assertThat(result.describe()).startsWith("training is healthy after 48 iterations");
        assertThatCode(result::assertHealthy).doesNotThrowAnyException();
    }

    @Test
    void hugeLearningRateFailsWithTheFirstIncidentsHeadlineAndFix() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Adam(5.0)));
        TrainingResult result = TrainingCheck.of(net).data(FashionData.iterator(512, 32)).iterations(48).run();

        assertThat(result.healthy()).isFalse();
        Incident first = result.problems().get(0);
        assertThat(first.fix()).isNotEmpty();
        assertThatThrownBy(result::assertHealthy).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("training is not healthy after 48 iterations")
                .hasMessageContaining("1. " + IncidentText.headline(first))
                .hasMessageContaining("fix: " + first.fix().get(0));
    }

    @Test
    void overfitBatchesPassesWhenTheLossFallsOnTheFixedBatches() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        TrainingResult result = TrainingCheck.of(net).data(FashionData.iterator(512, 32)).overfitBatches(2)
                .iterations(40).run();

        assertThat(result.mode()).isEqualTo(CheckMode.OVERFIT_BATCHES);
        assertThat(result.loss().learned()).isTrue();
        result.assertHealthy();
    }

    @Test
    void overfitBatchesFailsWhenTheNetworkCannotLearn() {
        // a learning rate of 1e-7: nothing is wrong enough to diverge, the loss just never falls
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Sgd(1e-7)));
        TrainingResult result = TrainingCheck.of(net).data(FashionData.iterator(512, 32)).overfitBatches(2)
                .iterations(30).run();

        assertThat(result.lossStuck()).isTrue();
        assertThatThrownBy(result::assertHealthy).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the loss did not fall below 95% of its start")
                .hasMessageContaining("a few batches it sees again and again");
    }

    @Test
    void fastDevRunFitsOneBatchAndLeavesTheNetworksListenersAsTheyWere() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        ScoreIterationListener own = new ScoreIterationListener(1000);
        net.setListeners(own);
        TrainingResult result = TrainingCheck.of(net).data(FashionData.iterator(256, 32)).fastDevRun().run();

        assertThat(result.iterations()).isEqualTo(1);
        assertThat(result.loss().iterations()).isEqualTo(1);
        assertThat(net.getListeners()).containsExactly(own);
        result.assertHealthy();
    }

    @Test
    void fastDevRunThrowsDl4jsErrorOnMiswiredLabels() {
        // 10 output classes, 784-wide labels: DL4J's own shape error reaches the test
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DataSet bad = FashionData.train(64);
        bad.setLabels(bad.getFeatures());
        assertThatThrownBy(() -> TrainingCheck.of(net).data(new ListDataSetIterator<>(bad.asList(), 32)).fastDevRun()
                .run()).isInstanceOf(RuntimeException.class).message().doesNotStartWith("fastDevRun:");
    }

    @Test
    void badArgumentsNameTheField() {
        assertThatThrownBy(() -> TrainingCheck.of(null)).hasMessageContaining("MultiLayerNetwork or ComputationGraph");
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        assertThatThrownBy(() -> TrainingCheck.of(net).iterations(0)).hasMessageContaining("iterations must be >= 1");
        assertThatThrownBy(() -> TrainingCheck.of(net).overfitBatches(0)).hasMessageContaining("overfitBatches");
        assertThatThrownBy(() -> TrainingCheck.of(net).run()).hasMessageContaining("data(iterator)");
    }
}
