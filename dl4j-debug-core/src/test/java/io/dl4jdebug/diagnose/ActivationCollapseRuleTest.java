package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.Saturation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ActivationCollapseRule} on synthetic snapshots. */
class ActivationCollapseRuleTest {

    private static ActivationStats stats(double mean, double std, double zeroFraction, long examples,
                                         double exampleStd) {
        return new ActivationStats("h1", "relu", 640, mean, std, zeroFraction, 20, 0, Saturation.notApplicable(), 0,
                examples, exampleStd);
    }

    private static List<Finding> run(ActivationStats s, int checks) {
        ActivationCollapseRule rule = new ActivationCollapseRule(RuleConfig.defaults());
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < checks; i++) {
            all.addAll(rule.evaluate(new ActivationSnapshot(i * 10L, 0, List.of(s))));
        }
        return all;
    }

    @Test
    void identicalExamplesCollapseAfterPatience() {
        ActivationStats collapsed = stats(0.4, 0.3, 0.2, 32, 0);
        assertThat(run(collapsed, 1)).isEmpty();
        assertThat(run(collapsed, 5)).singleElement().satisfies(f -> {
            assertThat(f.symptom()).isEqualTo(Symptom.ACTIVATION_COLLAPSE);
            assertThat(f.layer()).isEqualTo("h1");
            assertThat(f.level()).isEqualTo(Level.NUMERICAL);
            assertThat(f.evidence()).containsEntry("relativeSpread", 0.0).containsEntry("examples", 32.0);
        });
    }

    @Test
    void collapseBehindALayerThatStillSeparatesTheExamplesBlamesTheDepthNotTheData() {
        ActivationStats first = new ActivationStats("h0", "sigmoid", 640, 0.5, 0.2, 0, 20, 0,
                Saturation.notApplicable(), 0, 32, 0.15);
        ActivationStats deep = new ActivationStats("h7", "sigmoid", 640, 0.5, 0.01, 0, 20, 0,
                Saturation.notApplicable(), 0, 32, 1e-5);
        ActivationCollapseRule rule = new ActivationCollapseRule(RuleConfig.defaults());
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(rule.evaluate(new ActivationSnapshot(i * 10L, 0, List.of(first, deep))));
        }
        assertThat(all).singleElement().satisfies(f -> {
            assertThat(f.layer()).isEqualTo("h7");
            assertThat(f.message()).contains("still differ at h0");
            assertThat(f.evidence()).containsKey("upstreamRelativeSpread");
            assertThat(f.suggestions().get(0)).contains("between h0 and h7").contains("Activation.RELU");
            assertThat(f.suggestions()).noneMatch(s -> s.contains("data pipeline"));
        });
    }

    @Test
    void collapseAtTheFirstLayerPointsAtTheData() {
        assertThat(run(stats(0.4, 0.3, 0.2, 32, 0), 3)).singleElement().satisfies(f -> {
            assertThat(f.suggestions().get(0)).contains("data pipeline");
            assertThat(f.evidence()).doesNotContainKey("upstreamRelativeSpread");
        });
    }

    @Test
    void healthySpreadIsSilent() {
        assertThat(run(stats(0.4, 0.3, 0.2, 32, 0.25), 20)).isEmpty();
    }

    @Test
    void allZeroOutputsAndSingleExamplesAndUnmeasuredAreLeftAlone() {
        assertThat(run(stats(0, 0, 1.0, 32, 0), 10)).isEmpty();
        assertThat(run(stats(0.4, 0.3, 0.2, 0, 0), 10)).isEmpty();
        assertThat(run(new ActivationStats("h1", "relu", 20, 0.4, 0.3, 0, 20, 0, Saturation.notApplicable(), 0), 10))
                .isEmpty();
    }
}
