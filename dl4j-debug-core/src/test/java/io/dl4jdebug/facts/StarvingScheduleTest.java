package io.dl4jdebug.facts;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Diagnostician;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate a schedule applied over the run, judged at diagnosis: a schedule that keeps the rate below 1 % of its start
 * for a quarter of the run or more starved it; a schedule planned for the run (polynomial decay to 0, a step
 * schedule cut twice) is left alone.
 */
class StarvingScheduleTest {

    private static NetworkFacts facts(IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(updater).list()
                .layer(new DenseLayer.Builder().name("h").nIn(6).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().name("out").nIn(16).nOut(4).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return NetworkFactsReader.read(n);
    }

    private static Diagnosis diagnose(IUpdater updater, long iterations, int epochs) {
        return Diagnostician.diagnose(List.of(), facts(updater),
                new LossSummary(iterations, 10, 1.4, 1.1, 1.1, 0, epochs));
    }

    @Test
    void aDecayToNothingEarlyInTheRunIsTheScheduleAndItsFixRemovesIt() {
        Diagnosis d = diagnose(new Sgd(new ExponentialSchedule(ScheduleType.ITERATION, 0.1, 0.8)), 64, 2);

        assertThat(d.incidents()).singleElement().satisfies(i -> {
            assertThat(i.symptom()).isEqualTo(Symptom.LEARNING_RATE_TOO_LOW);
            assertThat(i.setting()).contains(Setting.LEARNING_RATE_SCHEDULE);
            assertThat(i.root().firstIteration()).isEqualTo(21); // 0.8^21 = 0.0092 < 1 %
            assertThat(i.root().worst().message()).contains("h, out").contains("67%");
            assertThat(i.remedies().get(0).kind()).isEqualTo(Remedy.Kind.REMOVE_SCHEDULE);
        });
    }

    @Test
    void anEpochScheduleIsJudgedOnTheEpochsTrained() {
        IUpdater stepped = new Sgd(new StepSchedule(ScheduleType.EPOCH, 0.1, 0.001, 1));
        assertThat(diagnose(stepped, 120, 4).incidents()).singleElement()
                .satisfies(i -> assertThat(i.setting()).contains(Setting.LEARNING_RATE_SCHEDULE));
        // One epoch trained: the schedule has not acted yet.
        assertThat(diagnose(stepped, 30, 1).incidents()).isEmpty();
    }

    @Test
    void schedulesPlannedForTheRunAreSilent() {
        // Polynomial decay (power 2) to 0 over the run: below 1 % for its last 10 %.
        assertThat(diagnose(new Sgd(new PolySchedule(ScheduleType.ITERATION, 0.1, 2, 200)), 200, 4).incidents())
                .isEmpty();
        // Cut 5x at iterations 50 and 100 of 150: 4 % at the end.
        assertThat(diagnose(new Sgd(new StepSchedule(ScheduleType.ITERATION, 0.1, 0.2, 50)), 150, 3).incidents())
                .isEmpty();
        // A fixed rate has nothing to judge.
        assertThat(diagnose(new Sgd(0.1), 200, 4).incidents()).isEmpty();
    }
}
