package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.EpochSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FittingDiagnosis} (the article's table) and {@link FittingRule} on synthetic epoch histories. */
class FittingRuleTest {

    private static final RuleConfig DEFAULTS = RuleConfig.defaults();

    @Test
    void articleTableInItsOrder() {
        assertThat(FittingDiagnosis.diagnose(0.6, 0.7, 51, DEFAULTS)).isEqualTo(FittingStatus.UNDERFITTING);
        assertThat(FittingDiagnosis.diagnose(0.6, 1.2, 51, DEFAULTS)).isEqualTo(FittingStatus.UNDERFITTING);
        assertThat(FittingDiagnosis.diagnose(0.6, 0.7, 10, DEFAULTS)).isEqualTo(FittingStatus.KEEP_WATCHING);
        assertThat(FittingDiagnosis.diagnose(0.1, 0.35, 10, DEFAULTS)).isEqualTo(FittingStatus.OVERFITTING);
        assertThat(FittingDiagnosis.diagnose(0.05, 0.08, 10, DEFAULTS)).isEqualTo(FittingStatus.CONVERGED);
        assertThat(FittingDiagnosis.diagnose(0.2, 0.3, 10, DEFAULTS)).isEqualTo(FittingStatus.KEEP_WATCHING);
        assertThat(FittingDiagnosis.diagnoseTrainOnly(0.9, 50, DEFAULTS)).isEqualTo(FittingStatus.UNDERFITTING);
        assertThat(FittingDiagnosis.diagnoseTrainOnly(0.9, 49, DEFAULTS)).isEqualTo(FittingStatus.KEEP_WATCHING);
    }

    private static List<Finding> run(FittingRule rule, double[] train, double[] val) {
        List<Finding> all = new ArrayList<>();
        for (int e = 0; e < train.length; e++) {
            EpochSnapshot s = val == null ? EpochSnapshot.trainOnly(e, 10L * e + 9, train[e])
                    : EpochSnapshot.of(e, 10L * e + 9, train[e], val[e]);
            all.addAll(rule.evaluate(s));
        }
        return all;
    }

    @Test
    void gapAboveThresholdIsOverfittingOnce() {
        FittingRule rule = new FittingRule(DEFAULTS);
        List<Finding> f = run(rule, new double[] {1.0, 0.6, 0.3, 0.1, 0.05},
                new double[] {1.0, 0.65, 0.45, 0.35, 0.4});
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.symptom()).isEqualTo(Symptom.OVERFITTING);
            assertThat(x.evidence()).containsEntry("epoch", 4.0).containsEntry("threshold", 0.2);
            assertThat(x.evidence().get("validationRise")).isGreaterThan(0.02);
            assertThat(x.layer()).isNull();
        });
        assertThat(rule.status()).isEqualTo(FittingStatus.OVERFITTING);
    }

    @Test
    void gapWhileValidationStillImprovesIsNoVerdict() {
        FittingRule rule = new FittingRule(DEFAULTS);
        assertThat(run(rule, new double[] {1.1, 0.6, 0.46}, new double[] {1.21, 0.80, 0.71})).isEmpty();
        assertThat(rule.status()).isEqualTo(FittingStatus.OVERFITTING);
    }

    @Test
    void aValidationLossThatNeverImprovesWhileTrainingLearnsMeansNothingCarriesOver() {
        List<Finding> f = run(new FittingRule(DEFAULTS), new double[] {1.9, 1.2, 0.9},
                new double[] {3.1, 3.6, 4.2});
        // The gap rule also fires; the diagnosis keeps whichever the first validation loss supports (Contradictions).
        assertThat(f.stream().filter(x -> x.symptom() == Symptom.LABELS_INVALID)).singleElement().satisfies(x -> {
            assertThat(x.symptom()).isEqualTo(Symptom.LABELS_INVALID);
            assertThat(x.evidence()).containsEntry("firstValidationLoss", 3.1).containsEntry("epoch", 1.0);
        });
        assertThat(run(new FittingRule(DEFAULTS), new double[] {1.9, 1.2, 0.9}, new double[] {2.0, 1.5, 1.6}))
                .as("validation improved once: learning carries over").extracting(Finding::symptom)
                .doesNotContain(Symptom.LABELS_INVALID);
    }

    @Test
    void risingValidationWhileTrainingFallsIsAnEarlyOverfittingWarning() {
        List<Finding> f = run(new FittingRule(DEFAULTS), new double[] {1.0, 0.9, 0.85, 0.82, 0.8},
                new double[] {1.0, 0.92, 0.93, 0.95, 0.96});
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.symptom()).isEqualTo(Symptom.OVERFITTING);
            assertThat(x.message()).contains("trend");
            assertThat(x.evidence().get("gap")).isLessThan(0.2);
            assertThat(x.evidence().get("validationRise")).isGreaterThan(0.02);
        });
    }

    @Test
    void noisyHealthyHistoryIsSilentAndEndsConverged() {
        double[] train = new double[30];
        double[] val = new double[30];
        for (int e = 0; e < 30; e++) {
            train[e] = 0.05 + 2 * Math.exp(-e / 3.0);
            val[e] = train[e] + 0.02 + (e % 2 == 0 ? 0.01 : -0.01);
        }
        FittingRule rule = new FittingRule(DEFAULTS);
        assertThat(run(rule, train, val)).isEmpty();
        assertThat(rule.status()).isEqualTo(FittingStatus.CONVERGED);
    }

    @Test
    void highTrainingLossAfterFiftyEpochsIsUnderfittingWithOrWithoutValidation() {
        double[] train = new double[60];
        java.util.Arrays.fill(train, 1.2);
        List<Finding> f = run(new FittingRule(DEFAULTS), train, null);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.symptom()).isEqualTo(Symptom.UNDERFITTING);
            assertThat(x.evidence()).containsEntry("epochs", 50.0);
        });
        assertThat(run(new FittingRule(DEFAULTS), java.util.Arrays.copyOf(train, 49), null)).isEmpty();
    }

    @Test
    void patienceDelaysTheVerdict() {
        FittingRule rule = new FittingRule(DEFAULTS.toBuilder().fittingPatience(2).trendEpochs(10).build());
        assertThat(run(rule, new double[] {0.1, 0.1}, new double[] {0.4, 0.2})).isEmpty();
    }
}
