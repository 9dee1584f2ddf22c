package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.Saturation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The forward signal's gain per layer: a run of layers that each shrink it 10x or more is a vanishing gradient. */
class SignalDecayRuleTest {

    private static ActivationStats layer(String name, String activation, double rms) {
        return new ActivationStats(name, activation, 64 * 32, 0, rms, 0, 64, 0, Saturation.notApplicable(), 0);
    }

    private static ActivationSnapshot snapshot(long iteration, double... rms) {
        List<ActivationStats> layers = new ArrayList<>();
        for (int i = 0; i < rms.length; i++) {
            layers.add(layer("dense" + (i + 1), "tanh", rms[i]));
        }
        layers.add(layer("output", "softmax", 0.1));
        return new ActivationSnapshot(iteration, 0, layers);
    }

    @Test
    void weightsTooSmallForTheWidthShrinkTheSignalLayerAfterLayer() {
        SignalDecayRule rule = new SignalDecayRule(RuleConfig.defaults());
        double[] small = {0.11, 9e-3, 7e-4, 6e-5};
        assertThat(rule.evaluate(snapshot(0, small))).isEmpty(); // patience 2
        assertThat(rule.evaluate(snapshot(10, small))).singleElement().satisfies(f -> {
            assertThat(f.symptom()).isEqualTo(Symptom.VANISHING_GRADIENT);
            assertThat(f.layer()).isEqualTo("dense2");
            assertThat(f.firstIteration()).isZero();
            assertThat(f.evidence().get("layers")).isEqualTo(3.0);
            assertThat(f.message()).contains("dense2 x0.082").contains("from 0.110 at dense1");
        });
        assertThat(rule.evaluate(snapshot(20, small))).as("once per run").isEmpty();
    }

    @Test
    void aHealthyStackAndASingleBottleneckAreSilent() {
        SignalDecayRule rule = new SignalDecayRule(RuleConfig.defaults());
        for (long it = 0; it < 50; it += 10) {
            assertThat(rule.evaluate(snapshot(it, 0.6, 0.5, 0.55, 0.45))).isEmpty();
            assertThat(rule.evaluate(snapshot(it, 0.6, 0.03, 0.04, 0.05))).isEmpty();
        }
    }
}
