package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Map;

/** Checklist item {@code data.finite}: features and labels of the scanned minibatches are finite. */
final class DataFiniteCheck extends BaseCheck {

    DataFiniteCheck() {
        super("data.finite", Level.CODE, Symptom.DATA_NON_FINITE);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataScan trainScan = ctx.trainScan();
        DataSet first = ctx.first();
        if (first == null) {
            return CheckResult.noData(this);
        }
        long bad = trainScan.nonFiniteFeatures + trainScan.nonFiniteLabels;
        if (bad > 0) {
            return CheckResult.problem(this, CheckStatus.FAIL, Finding.builder(Symptom.DATA_NON_FINITE, Severity.ERROR,
                            trainScan.nonFiniteFeatures + " feature values and " + trainScan.nonFiniteLabels
                                    + " label values are NaN or infinite in the first " + trainScan.examples
                                    + " examples")
                    .evidence("nonFiniteFeatures", trainScan.nonFiniteFeatures)
                    .evidence("nonFiniteLabels", trainScan.nonFiniteLabels)
                    .evidence("featureValues", trainScan.featureValues)
                    .suggest("clean or impute missing values before training (NaN propagates to every weight)",
                            "check divisions by zero in feature engineering and normalizer statistics")
                    .build());
        }
        return CheckResult.pass(this, "all " + trainScan.featureValues + " feature values are finite",
                Map.of("featureValues", (double) trainScan.featureValues));
    }
}
