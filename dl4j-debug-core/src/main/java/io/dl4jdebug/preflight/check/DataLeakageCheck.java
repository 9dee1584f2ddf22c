package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checklist item {@code data.leakage}: no validation example also appears in the training set (examples compared by
 * two random projections).
 */
final class DataLeakageCheck extends BaseCheck {

    private static final double LEAK_TOLERANCE = 1e-7;

    DataLeakageCheck() {
        super("data.leakage", Level.CODE, Symptom.DATA_LEAKAGE);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataScan trainScan = ctx.trainScan();
        DataSet first = ctx.first();
        if (!ctx.hasValidation()) {
            return CheckResult.skip(this, "no validation iterator given");
        }
        if (first == null) {
            return CheckResult.noData(this);
        }
        DataScan val = ctx.scanValidation();
        if (val.error != null) {
            return CheckResult.skip(this, "the validation iterator failed: " + val.error);
        }
        if (val.projections.isEmpty() || trainScan.projections.isEmpty()) {
            return CheckResult.skip(this, "no comparable finite examples (validation examples: " + val.examples
                    + ", features per example " + val.featuresPerExample + " vs " + trainScan.featuresPerExample
                    + ")");
        }
        double[][] trainKeys = trainScan.projections.toArray(new double[0][]);
        Arrays.sort(trainKeys, Comparator.comparingDouble(p -> p[0]));
        double[] firstCoordinates = new double[trainKeys.length];
        for (int i = 0; i < trainKeys.length; i++) {
            firstCoordinates[i] = trainKeys[i][0];
        }
        long overlap = 0;
        for (double[] v : val.projections) {
            if (containsNear(trainKeys, firstCoordinates, v)) {
                overlap++;
            }
        }
        double fraction = overlap / (double) val.projections.size();
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("trainExamplesHashed", (double) trainKeys.length);
        ev.put("validationExamplesHashed", (double) val.projections.size());
        ev.put("overlapping", (double) overlap);
        ev.put("overlapFraction", fraction);
        if (overlap > 0) {
            Finding.Builder b = Finding.builder(Symptom.DATA_LEAKAGE, fraction >= 0.01 ? Severity.ERROR
                    : Severity.WARN, String.format(java.util.Locale.ROOT, "%d of %d validation examples (%.1f%%)"
                            + " also appear in the training set: validation scores are optimistic", overlap,
                    val.projections.size(), 100 * fraction));
            b.evidence(ev);
            b.suggest("split before any augmentation or oversampling, and deduplicate: split by a stable id "
                            + "(e.g. DataSet.splitTestAndTrain after removing duplicates)",
                    "for grouped data (same patient, same session) split by group, not by example");
            return CheckResult.problem(this, fraction >= 0.01 ? CheckStatus.FAIL : CheckStatus.WARN, b.build());
        }
        return CheckResult.pass(this, "no validation example among the first " + val.projections.size()
                + " appears in the first " + trainKeys.length + " training examples", ev);
    }

    private static boolean containsNear(double[][] sorted, double[] firstCoordinates, double[] v) {
        double tol0 = LEAK_TOLERANCE * (1 + Math.abs(v[0]));
        int i = Arrays.binarySearch(firstCoordinates, v[0] - tol0);
        i = i < 0 ? -i - 1 : i;
        for (; i < sorted.length && sorted[i][0] <= v[0] + tol0; i++) {
            if (Math.abs(sorted[i][1] - v[1]) <= LEAK_TOLERANCE * (1 + Math.abs(v[1]))) {
                return true;
            }
        }
        return false;
    }
}
