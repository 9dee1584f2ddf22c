package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ScoreSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RegularizationRule} on synthetic scores. */
class RegularizationRuleTest {

    private static List<Finding> run(double score, double reg, int n) {
        RegularizationRule rule = new RegularizationRule(RuleConfig.defaults());
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.addAll(rule.evaluate(ScoreSnapshot.withRegularization(i * 10L, 0, score, reg)));
            all.addAll(rule.evaluate(ScoreSnapshot.of(i * 10L + 1, 0, score)));
        }
        return all;
    }

    @Test
    void dominantRegularizationIsReportedOnceAfterPatience() {
        assertThat(run(40, 38, 2)).isEmpty();
        assertThat(run(40, 38, 10)).singleElement().satisfies(f -> {
            assertThat(f.symptom()).isEqualTo(Symptom.REGULARIZATION_DOMINATES);
            assertThat(f.evidence().get("regularizationShare")).isEqualTo(0.95);
            assertThat(f.firstIteration()).isZero();
        });
    }

    @Test
    void smallRegularizationIsSilent() {
        assertThat(run(0.5, 0.01, 20)).isEmpty();
        assertThat(run(0.0, 0.0, 20)).isEmpty();
    }
}
