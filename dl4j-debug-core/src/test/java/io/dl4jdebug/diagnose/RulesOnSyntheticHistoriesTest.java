package io.dl4jdebug.diagnose;

import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.measure.Saturation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gradient and activation rules on hand-made histories: patience, once per location, silence when healthy. */
class RulesOnSyntheticHistoriesTest {

    private static GradientSnapshot gradients(long iteration, double... norms) {
        List<ParameterStats> stats = new java.util.ArrayList<>();
        for (int i = 0; i < norms.length; i++) {
            stats.add(new ParameterStats("l" + i, "W", 1.0, norms[i], 1e-3, 0, 0));
        }
        return new GradientSnapshot(iteration, 0, 32, stats);
    }

    @Test
    void gradientRuleWaitsForPatienceAndReportsOncePerParameter() {
        GradientNormRule rule = new GradientNormRule(io.dl4jdebug.config.GradientMonitorConfig.builder().vanishingThreshold(1e-6)
                .explodingThreshold(100).patience(2).build());

        assertThat(rule.evaluate(gradients(0, 1e-8, 1.0, 500))).isEmpty();
        List<Finding> second = rule.evaluate(gradients(10, 1e-8, 1.0, 500));
        assertThat(rule.evaluate(gradients(20, 1e-8, 1.0, 500))).isEmpty();

        assertThat(second).extracting(Finding::symptom, Finding::layer, Finding::firstIteration).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Symptom.VANISHING_GRADIENT, "l0", 0L),
                org.assertj.core.groups.Tuple.tuple(Symptom.EXPLODING_GRADIENT, "l2", 0L));
    }

    @Test
    void aStreakBrokenByAHealthyCheckStartsAgain() {
        GradientNormRule rule = new GradientNormRule(io.dl4jdebug.config.GradientMonitorConfig.builder().vanishingThreshold(1e-6)
                .explodingThreshold(100).patience(2).build());

        rule.evaluate(gradients(0, 1e-8));
        rule.evaluate(gradients(10, 1.0));
        assertThat(rule.evaluate(gradients(20, 1e-8))).isEmpty();
        assertThat(rule.evaluate(gradients(30, 1e-8))).singleElement()
                .extracting(Finding::firstIteration).isEqualTo(20L);
    }

    @Test
    void healthyGradientsAndNonFiniteNormsStaySilent() {
        GradientNormRule rule = new GradientNormRule(io.dl4jdebug.config.GradientMonitorConfig.builder().vanishingThreshold(1e-6)
                .explodingThreshold(100).patience(1).build());
        assertThat(rule.evaluate(gradients(0, 1e-3, 1.0, 99.0, Double.NaN))).isEmpty();
    }

    private static ActivationStats layer(String name, int units, int dead, Saturation saturation) {
        return layer(name, units, dead, saturation, 64);
    }

    private static ActivationStats layer(String name, int units, int dead, Saturation saturation, long perUnit) {
        return new ActivationStats(name, "relu", units * perUnit, 0.1, 0.2, 0.5, units, dead, saturation, 0);
    }

    @Test
    void deadUnitsAreNotJudgedOnTooFewValuesPerUnit() {
        ActivationHealthRule rule = new ActivationHealthRule(io.dl4jdebug.config.ActivationMonitorConfig.builder()
                .patience(1).build());
        // 8 of 10 units zero on a minibatch of 4: evidence of nothing (a healthy ReLU unit is often silent on 4)
        ActivationSnapshot few = new ActivationSnapshot(0, 0, List.of(layer("h0", 10, 8, Saturation.notApplicable(),
                4)));
        assertThat(rule.evaluate(few)).isEmpty();
        ActivationSnapshot enough = new ActivationSnapshot(10, 0, List.of(layer("h0", 10, 8,
                Saturation.notApplicable(), 32)));
        assertThat(rule.evaluate(enough)).singleElement().satisfies(f -> assertThat(f.evidence())
                .containsEntry("valuesPerUnit", 32.0));
    }

    @Test
    void activationRuleReportsDeadAndSaturatedLayersAfterPatience() {
        ActivationHealthRule rule = new ActivationHealthRule(io.dl4jdebug.config.ActivationMonitorConfig.builder().deadUnitThreshold(0.5)
                .saturatedUnitThreshold(0.5).patience(2).build());
        ActivationSnapshot bad = new ActivationSnapshot(0, 0, List.of(layer("dead", 10, 8, Saturation.notApplicable()),
                layer("tanh", 10, 0, Saturation.measured(0.9, 6)), layer("fine", 10, 1, Saturation.measured(0.1, 0))));

        assertThat(rule.evaluate(bad)).isEmpty();
        List<Finding> findings = rule.evaluate(new ActivationSnapshot(10, 0, bad.layers()));

        assertThat(findings).extracting(Finding::symptom, Finding::layer).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Symptom.DEAD_UNITS, "dead"),
                org.assertj.core.groups.Tuple.tuple(Symptom.SATURATED_ACTIVATIONS, "tanh"));
        assertThat(findings.get(0).evidence()).containsEntry("deadFraction", 0.8).containsEntry("threshold", 0.5);
    }

    @Test
    void unitsThatFlipBetweenTheBoundsWithTheInputAreSaturatedToo() {
        ActivationHealthRule rule = new ActivationHealthRule(io.dl4jdebug.config.ActivationMonitorConfig.builder()
                .patience(1).build());
        // No unit is at one bound for every example, but 85 % of the values sit at one bound or the other.
        assertThat(rule.evaluate(new ActivationSnapshot(0, 0, List.of(layer("flips", 10, 0,
                Saturation.measured(0.85, 0)))))).singleElement().satisfies(f -> {
                    assertThat(f.symptom()).isEqualTo(Symptom.SATURATED_ACTIVATIONS);
                    assertThat(f.message()).contains("85% of the outputs of layer flips");
                });
        // A healthy tanh layer has a few values near a bound.
        assertThat(rule.evaluate(new ActivationSnapshot(0, 0, List.of(layer("calm", 10, 0,
                Saturation.measured(0.03, 0)))))).isEmpty();
    }

    @Test
    void findingsRequireAMessageAndCarryTheSymptomsLevel() {
        assertThatThrownBy(() -> Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, " ").build())
                .hasMessage("a finding needs a message");
        Finding f = Finding.builder(Symptom.DATA_LEAKAGE, Severity.ERROR, "12 examples shared").build();
        assertThat(f.level()).isEqualTo(Level.CODE);
        assertThat(f.layerName()).isEmpty();
    }
}
