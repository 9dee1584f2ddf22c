package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one judge stage on synthetic histories. */
class RuleEngineTest {

    private static RuleEngine engine() {
        return RuleEngine.of(RuleConfig.defaults(), GradientMonitorConfig.defaults(),
                ActivationMonitorConfig.defaults());
    }

    @Test
    void theSuitesEngineRegistersEveryRuleOnce() {
        assertThat(engine().rules()).extracting(r -> r.getClass().getSimpleName()).containsExactly(
                "GradientNormRule", "UpdateRatioRule", "ActivationHealthRule", "ActivationCollapseRule",
                "SignalDecayRule", "LossCurveRule", "RegularizationRule", "TrainInferenceRule", "FittingRule");
    }

    @Test
    void aRunStuckAtLnTenIsNotLearningNotKeepWatching() {
        RuleEngine e = engine();
        for (int i = 0; i < 60; i++) {
            e.onScore(ScoreSnapshot.of(i, i / 20, Math.log(10) + (i % 2 == 0 ? 1e-4 : -1e-4)));
        }
        e.onEpoch(EpochSnapshot.of(2, 59, Math.log(10), Math.log(10)));
        assertThat(e.fittingStatus()).isEqualTo(FittingStatus.NOT_LEARNING);

        RuleEngine learning = engine();
        for (int i = 0; i < 60; i++) {
            learning.onScore(ScoreSnapshot.of(i, i / 20, 2.3 * Math.exp(-i / 20.0)));
        }
        learning.onEpoch(EpochSnapshot.of(2, 59, 0.3, 0.32));
        assertThat(learning.fittingStatus()).isNotEqualTo(FittingStatus.NOT_LEARNING);

        // a too-high learning rate: the loss dips for a while, then the network ends back at chance level
        RuleEngine relapsed = engine();
        for (int i = 0; i < 60; i++) {
            relapsed.onScore(ScoreSnapshot.of(i, 0, i < 30 ? 2.3 - i * 0.02 : 2.35));
        }
        relapsed.onEpoch(EpochSnapshot.of(0, 59, 2.344, 2.332));
        assertThat(relapsed.fittingStatus()).isEqualTo(FittingStatus.NOT_LEARNING);
    }

    @Test
    void inferenceModeFarWorseThanTrainingModeOnTheSameDataIsATrainInferenceMismatch() {
        RuleEngine e = engine();
        for (int i = 0; i < 20; i++) {
            e.onScore(ScoreSnapshot.of(i, 0, 0.3));
        }
        assertThat(e.onEpoch(EpochSnapshot.trainOnly(0, 19, 1.1))).extracting(Finding::symptom)
                .contains(Symptom.TRAIN_INFERENCE_MISMATCH);
        RuleEngine healthy = engine();
        for (int i = 0; i < 20; i++) {
            healthy.onScore(ScoreSnapshot.of(i, 0, 0.4));
        }
        assertThat(healthy.onEpoch(EpochSnapshot.trainOnly(0, 19, 0.33))).extracting(Finding::symptom)
                .doesNotContain(Symptom.TRAIN_INFERENCE_MISMATCH);
    }
}
