package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.List;
import java.util.Set;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;

/**
 * Optimizer bugs on the dense Fashion-MNIST classifier (DeepDiagnosis/DeepFD's optimizer family): learning-rate
 * schedules that decay to nothing, clipping with a tiny threshold, summed minibatch gradients, momentum and epsilon
 * out of range, and minibatches of one or of half the data; each with its healthy twin (the same setup without the
 * bug), and a healthy network that uses a schedule, momentum and clipping correctly. Stateless.
 */
final class OptimizerScenarios {

    private OptimizerScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                BuiltScenario.bug("lr-decays-to-nothing", "Sgd(0.1) with ExponentialSchedule(ITERATION, 0.1, 0.8):"
                                + " the rate is 1e-3 after 20 iterations and 1e-7 after 60; the gradients stay healthy",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE_SCHEDULE, ONLY_IN_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).updater(bug ? new Sgd(new ExponentialSchedule(
                                        ScheduleType.ITERATION, 0.1, 0.8)) : new Sgd(0.1)).multiLayer())),
                BuiltScenario.bug("cg-step-schedule-to-zero", "a graph with Adam(StepSchedule(ITERATION, 1e-3, 0.01,"
                                + " 10)): the rate drops a hundredfold every 10 iterations",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE_SCHEDULE, ONLY_IN_TRAINING),
                        ModelKind.COMPUTATION_GRAPH, Family.CG, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).updater(bug ? new Adam(new StepSchedule(
                                        ScheduleType.ITERATION, 1e-3, 0.01, 10)) : new Adam(1e-3)).graph())),
                BuiltScenario.bug("clip-tiny-threshold", "Sgd(0.1) with ClipL2PerLayer at threshold 1e-3: every"
                                + " layer's update is capped far below what its gradient asks",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.GRADIENT_NORMALIZATION, ONLY_IN_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                clipped(DenseNet.seeded(d.seed()).updater(new Sgd(0.1)), bug,
                                        GradientNormalization.ClipL2PerLayer, 1e-3).multiLayer())),
                BuiltScenario.bug("cg-clip-elementwise-tiny", "a graph with Sgd(0.1) and"
                                + " ClipElementWiseAbsoluteValue at 1e-5: every gradient element is cut to +-1e-5",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.GRADIENT_NORMALIZATION, ONLY_IN_TRAINING),
                        ModelKind.COMPUTATION_GRAPH, Family.CG, (d, bug) -> FashionScenarios.standard(d,
                                clipped(DenseNet.seeded(d.seed()).updater(new Sgd(0.1)), bug,
                                        GradientNormalization.ClipElementWiseAbsoluteValue, 1e-5).graph())),
                BuiltScenario.bug("minibatch-sum", ".miniBatch(false) with Sgd(0.1) and minibatches of 32: the"
                                + " gradients are summed, not averaged, so every step is 32 times too large (the summed loss at"
                                + " initialisation, 32 ln(10), shows it before training)",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.MINIBATCH_AVERAGING, BEFORE_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).updater(new Sgd(0.1)).miniBatch(!bug).multiLayer())),
                BuiltScenario.bug("momentum-too-high", "Nesterovs(0.05) with momentum 0.999 (meant 0.9): the"
                                + " velocity accumulates a thousand steps, the loss swings and climbs",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.UPDATER, ONLY_IN_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).updater(new Nesterovs(0.05, bug ? 0.999 : 0.9))
                                        .multiLayer())),
                BuiltScenario.bug("adam-epsilon-huge", "Adam(1e-3) with epsilon 1.0 (meant 1e-8): the denominator"
                                + " is 1 instead of the gradient's RMS, so the steps are ~100x smaller",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_LOW, Setting.UPDATER, ONLY_IN_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).updater(bug ? new Adam(1e-3, 0.9, 0.999, 1.0)
                                        : new Adam(1e-3)).multiLayer())),
                BuiltScenario.bug("bn-batch-one", "BatchNormalization trained on minibatches of one example: each"
                                + " is normalised against itself, so every BatchNormalization outputs its beta",
                        RootCause.of(Symptom.BATCHNORM_MISCONFIGURED, Setting.BATCH_SIZE, BEFORE_TRAINING, "bn1",
                                "bn2"),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> new ScenarioSetup(
                                DenseNet.seeded(d.seed()).batchNorm(0.9).updater(new Adam(1e-2)).multiLayer(),
                                d.fashion().train(256), d.fashion().test(FashionScenarios.VALIDATION), bug ? 1 : 16,
                                1)),
                BuiltScenario.bug("huge-batch", "minibatches of 512 of the 1024 examples for 3 epochs: 6 updates in"
                                + " all, the loss has barely moved when training ends",
                        RootCause.of(Symptom.UNDERFITTING, Set.of(Setting.BATCH_SIZE, Setting.TRAINING_LENGTH),
                                ONLY_IN_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> new ScenarioSetup(
                                DenseNet.seeded(d.seed()).multiLayer(), d.fashion().train(FashionScenarios.TRAIN),
                                d.fashion().test(FashionScenarios.VALIDATION), bug ? 512 : FashionScenarios.BATCH,
                                3)),
                BuiltScenario.healthy("healthy-momentum-schedule-clipped", "Nesterovs(0.05, 0.9) halved every epoch"
                                + " (StepSchedule), ClipL2PerLayer at 5", ModelKind.MULTI_LAYER_NETWORK, Family.MLN,
                        d -> FashionScenarios.standard(d, DenseNet.seeded(d.seed()).updater(new Nesterovs(
                                new StepSchedule(ScheduleType.EPOCH, 0.05, 0.5, 1), 0.9))
                                .clipping(GradientNormalization.ClipL2PerLayer, 5).multiLayer())));
    }

    private static DenseNet clipped(DenseNet net, boolean bug, GradientNormalization type, double threshold) {
        return bug ? net.clipping(type, threshold) : net;
    }
}
