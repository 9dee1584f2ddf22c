package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link UpdateRatioRule} on synthetic snapshots. */
class UpdateRatioRuleTest {

    private static GradientSnapshot snapshot(long it, double wRatio, double bUpdate) {
        return new GradientSnapshot(it, 0, 32, List.of(
                new ParameterStats("h0", "W", 10, 1, 10 * wRatio, 0, 0),
                new ParameterStats("h0", "b", 0.5, 0.1, bUpdate, 0, 0)));
    }

    private static List<Finding> run(UpdateRatioRule rule, int checks, double wRatio, double bUpdate) {
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < checks; i++) {
            all.addAll(rule.evaluate(snapshot(i * 10L, wRatio, bUpdate)));
        }
        return all;
    }

    @Test
    void healthyRatiosAreSilent() {
        UpdateRatioRule rule = new UpdateRatioRule(RuleConfig.defaults());
        assertThat(run(rule, 50, 1e-3, 0.5)).isEmpty();
        assertThat(run(new UpdateRatioRule(RuleConfig.defaults()), 50, 0.05, 0.5)).isEmpty();
        assertThat(run(new UpdateRatioRule(RuleConfig.defaults()), 50, 2e-5, 1e-3)).isEmpty();
    }

    @Test
    void highRatioNeedsPatienceThenFiresOncePerParameter() {
        UpdateRatioRule rule = new UpdateRatioRule(RuleConfig.defaults());
        assertThat(run(rule, 2, 0.5, 0.5)).isEmpty();
        List<Finding> f = rule.evaluate(snapshot(20, 0.5, 0.5));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.symptom()).isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
            assertThat(x.layer()).isEqualTo("h0");
            assertThat(x.parameter()).isEqualTo("W");
            assertThat(x.firstIteration()).isZero();
            assertThat(x.evidence()).containsEntry("updateRatio", 0.5).containsEntry("threshold", 0.1);
            assertThat(x.level()).isEqualTo(Level.OPTIMIZATION);
        });
        assertThat(run(rule, 10, 0.5, 0.5)).isEmpty();
    }

    @Test
    void aBreakInTheStreakResetsIt() {
        UpdateRatioRule rule = new UpdateRatioRule(RuleConfig.defaults());
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.addAll(rule.evaluate(snapshot(i, i % 3 == 2 ? 1e-3 : 0.5, 0.5)));
        }
        assertThat(all).isEmpty();
    }

    @Test
    void lowRatioIsTooLowAndZeroUpdateIsNotUpdating() {
        assertThat(run(new UpdateRatioRule(RuleConfig.defaults()), 3, 1e-7, 0.5))
                .extracting(Finding::symptom, Finding::parameter)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Symptom.LEARNING_RATE_TOO_LOW, "W"));
        assertThat(run(new UpdateRatioRule(RuleConfig.defaults()), 3, 0, 0))
                .extracting(Finding::symptom, Finding::parameter)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Symptom.WEIGHTS_NOT_UPDATING, "W"),
                        org.assertj.core.groups.Tuple.tuple(Symptom.WEIGHTS_NOT_UPDATING, "b"));
    }

    @Test
    void biasesAreNotJudgedForTheLearningRate() {
        assertThat(run(new UpdateRatioRule(RuleConfig.defaults()), 10, 1e-3, 100)).isEmpty();
    }

    @Test
    void warmupDelaysJudgement() {
        UpdateRatioRule rule = new UpdateRatioRule(RuleConfig.builder().ratioWarmup(100).build());
        assertThat(run(rule, 10, 0.5, 0.5)).isEmpty();
        assertThat(run(rule, 13, 0.5, 0.5)).extracting(Finding::firstIteration).containsExactly(100L);
    }

    @Test
    void nonFiniteParametersAreLeftToTheDetector() {
        UpdateRatioRule rule = new UpdateRatioRule(RuleConfig.defaults());
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.addAll(rule.evaluate(new GradientSnapshot(i, 0, 8, List.of(
                    new ParameterStats("h0", "W", Double.NaN, Double.NaN, Double.NaN, 3, 3)))));
        }
        assertThat(all).isEmpty();
    }
}
