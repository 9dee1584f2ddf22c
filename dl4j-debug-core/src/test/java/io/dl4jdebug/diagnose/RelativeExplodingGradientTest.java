package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relative test of {@link GradientNormRule} on synthetic histories (no ND4J): a recurrent layer whose gradient
 * grows far above the other layers' while staying under the absolute threshold is reported; a layer that is merely
 * large next to vanishing layers (it does not grow) and a network whose layers grow together are not.
 */
class RelativeExplodingGradientTest {

    /** Layers lstm (W, RW, b), dense and out; the norms given per layer, split evenly over its parameters. */
    private static GradientSnapshot snapshot(long iteration, double lstm, double dense, double out) {
        List<ParameterStats> stats = new ArrayList<>();
        for (String key : List.of("W", "RW", "b")) {
            stats.add(new ParameterStats("lstm", key, 1.0, lstm / Math.sqrt(3), 1e-3, 0, 0));
        }
        stats.add(new ParameterStats("dense", "W", 1.0, dense, 1e-3, 0, 0));
        stats.add(new ParameterStats("out", "W", 1.0, out, 1e-3, 0, 0));
        return new GradientSnapshot(iteration, 0, 32, stats);
    }

    private static List<Finding> run(double[][] history) {
        GradientNormRule rule = new GradientNormRule(GradientMonitorConfig.builder().build());
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < history.length; i++) {
            all.addAll(rule.evaluate(snapshot(i * 10L, history[i][0], history[i][1], history[i][2])));
        }
        return all;
    }

    @Test
    void aRecurrentLayerGrowingFarAboveTheOthersIsReportedBelowTheAbsoluteThreshold() {
        List<Finding> f = run(new double[][] {{0.05, 0.05, 0.1}, {0.5, 0.05, 0.1}, {20, 0.05, 0.1}, {60, 0.06, 0.1},
                {80, 0.05, 0.1}});

        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.symptom()).isEqualTo(Symptom.EXPLODING_GRADIENT);
            assertThat(x.layer()).isEqualTo("lstm");
            assertThat(x.parameter()).isNull();
            assertThat(x.firstIteration()).isEqualTo(20);
            assertThat(x.evidence().get("ratioToOtherLayers")).isGreaterThanOrEqualTo(GradientNormRule.RELATIVE_FACTOR);
            assertThat(x.message()).contains("relative to the other layers");
        });
    }

    @Test
    void aLargeLayerNextToVanishingOnesAndLayersGrowingTogetherAreNotReported() {
        // out is 1e4x the others but never grows (vanishing layers below it): not relative explosion
        assertThat(run(new double[][] {{1e-5, 1e-5, 0.5}, {1e-5, 1e-5, 0.6}, {1e-5, 1e-5, 0.5}, {1e-5, 1e-5, 0.4}}))
                .filteredOn(x -> x.symptom() == Symptom.EXPLODING_GRADIENT).isEmpty();
        // everything grows 50x together: no layer stands out relative to the others
        assertThat(run(new double[][] {{0.1, 0.1, 0.1}, {1, 1, 1}, {5, 5, 5}, {5, 5, 5}}))
                .filteredOn(x -> x.symptom() == Symptom.EXPLODING_GRADIENT).isEmpty();
    }
}
