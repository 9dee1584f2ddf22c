package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ScoreSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LossCurveRule} on synthetic loss curves. */
class LossCurveRuleTest {

    private static List<Finding> run(int iterations, LongToDoubleFunction loss) {
        LossCurveRule rule = new LossCurveRule(RuleConfig.defaults());
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            all.addAll(rule.evaluate(ScoreSnapshot.of(i, i / 32, loss.applyAsDouble(i))));
        }
        return all;
    }

    /** A healthy curve: exponential decay towards 0.3 with 30 % multiplicative minibatch noise. */
    private static LongToDoubleFunction healthy(long seed) {
        Random r = new Random(seed);
        return i -> (0.3 + 2.0 * Math.exp(-i / 40.0)) * (1 + 0.3 * r.nextGaussian());
    }

    @Test
    void noisyHealthyCurvesAreSilent() {
        for (long seed = 0; seed < 50; seed++) {
            assertThat(run(600, healthy(seed))).as("seed " + seed).isEmpty();
        }
    }

    @Test
    void memorisingCurveNearZeroIsSilent() {
        Random r = new Random(3);
        assertThat(run(400, i -> 2.3 * Math.exp(-i / 20.0) + 0.002 * Math.abs(r.nextGaussian()) * 5)).isEmpty();
    }

    @Test
    void flatCurveIsNotDecreasingAfterWarmupAndPatience() {
        Random r = new Random(1);
        List<Finding> f = run(200, i -> 2.35 + 0.05 * r.nextGaussian());
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.symptom()).isEqualTo(Symptom.LOSS_NOT_DECREASING);
            assertThat(x.firstIteration()).isEqualTo(50L);
            assertThat(x.evidence()).containsKeys("smoothedLoss", "firstWindowLoss", "relativeChange");
        });
    }

    @Test
    void explodingLossDivergesOnce() {
        List<Finding> f = run(100, i -> i < 3 ? 2.3 : 20.0);
        assertThat(f).extracting(Finding::symptom).containsExactly(Symptom.LOSS_DIVERGING);
        assertThat(f.get(0).firstIteration()).isEqualTo(9L);
        assertThat(f.get(0).evidence().get("referenceLoss")).isEqualTo(2.3);
    }

    @Test
    void slowRiseAfterProgressDiverges() {
        List<Finding> f = run(300, i -> i < 100 ? 2.3 - 0.02 * i : 0.3 + 0.03 * (i - 100));
        assertThat(f).extracting(Finding::symptom).contains(Symptom.LOSS_DIVERGING);
    }

    @Test
    void ringingLossOscillates() {
        // heavy-momentum ringing: |cos| with a period of 20 iterations, slowly decaying
        List<Finding> f = run(200, i -> 0.05 + 5 * Math.exp(-i / 300.0) * Math.pow(Math.cos(Math.PI * i / 20.0), 2));
        assertThat(f).extracting(Finding::symptom).contains(Symptom.LOSS_OSCILLATING);
        assertThat(f).filteredOn(x -> x.symptom() == Symptom.LOSS_OSCILLATING).hasSize(1);
    }

    @Test
    void lossReachingZeroGivesAFiniteSwing() {
        // blocks of 5 alternate between a mean of 0.8 and exactly 0 (a minibatch loss can be 0 when memorised)
        List<Finding> f = run(120, i -> (i / 5) % 2 == 0 ? 0.8 : 0.0);
        assertThat(f).filteredOn(x -> x.symptom() == Symptom.LOSS_OSCILLATING).singleElement().satisfies(x -> {
            assertThat(x.evidence().get("largestSwing")).isFinite().isEqualTo(1.0);
            assertThat(x.evidence().get("largestSwingAbsolute")).isCloseTo(0.8, org.assertj.core.data.Offset
                    .offset(1e-12));
            assertThat(x.message()).doesNotContain("Infinity").contains("100% of the higher block");
        });
    }

    @Test
    void swingIsAShareOfTheHigherBlock() {
        // blocks alternate between 1.0 and 3.0: the swing of 2.0 is 67% of the higher block
        List<Finding> f = run(120, i -> (i / 5) % 2 == 0 ? 3.0 : 1.0);
        assertThat(f).filteredOn(x -> x.symptom() == Symptom.LOSS_OSCILLATING).singleElement()
                .satisfies(x -> assertThat(x.evidence().get("largestSwing")).isCloseTo(2.0 / 3.0,
                        org.assertj.core.data.Offset.offset(1e-12)));
    }

    @Test
    void nonFiniteScoresAreSkipped() {
        assertThat(run(300, i -> i % 7 == 0 ? Double.NaN : 2.3 * Math.exp(-i / 30.0) + 0.1)).isEmpty();
    }
}
