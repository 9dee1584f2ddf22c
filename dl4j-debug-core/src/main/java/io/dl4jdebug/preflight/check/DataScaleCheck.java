package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.preflight.ChecklistConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** Checklist item {@code data.scale}: features are normalized: neither raw pixel values nor almost constant. */
final class DataScaleCheck extends BaseCheck {

    DataScaleCheck() {
        super("data.scale", Level.CODE, Symptom.DATA_UNNORMALIZED);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataScan trainScan = ctx.trainScan();
        ChecklistConfig config = ctx.config();
        if (ctx.first() == null) {
            return CheckResult.noData(this);
        }
        if (trainScan.scaleValues == 0) {
            return CheckResult.skip(this, "no minibatch without NaN/Inf to measure the feature scale on");
        }
        double mean = trainScan.mean();
        double std = trainScan.std();
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("mean", mean);
        ev.put("std", std);
        ev.put("min", trainScan.min);
        ev.put("max", trainScan.max);
        if (Math.abs(mean) > config.maxFeatureMean() || std > config.maxFeatureStd()) {
            Finding.Builder b = Finding.builder(Symptom.DATA_UNNORMALIZED, Severity.WARN, String.format(
                    java.util.Locale.ROOT, "features are not normalized: mean %.4g, std %.4g, range [%.4g, %.4g]"
                            + " (expected |mean| <= %.3g and std <= %.3g)", mean, std, trainScan.min,
                    trainScan.max, config.maxFeatureMean(), config.maxFeatureStd()));
            b.evidence(ev);
            b.evidence("maxFeatureMean", config.maxFeatureMean()).evidence("maxFeatureStd", config.maxFeatureStd());
            if (trainScan.min >= 0 && trainScan.max > 1 && trainScan.max <= 255) {
                b.suggest("pixels look like raw 0-255 values: iterator.setPreProcessor(new "
                        + "ImagePreProcessingScaler(0, 1))");
            }
            b.suggest("fit a NormalizerStandardize on the training data and set it as the iterator's "
                    + "pre-processor (iterator.setPreProcessor(normalizer))");
            return CheckResult.problem(this, CheckStatus.WARN, b.build());
        }
        if (std < config.minFeatureStd()) {
            Finding.Builder b = Finding.builder(Symptom.DATA_UNNORMALIZED, Severity.WARN, String.format(
                    java.util.Locale.ROOT, "features are almost constant: std %.4g < %.3g", std,
                    config.minFeatureStd()));
            b.evidence(ev);
            b.evidence("minFeatureStd", config.minFeatureStd())
                    .suggest("check that features were not scaled twice (e.g. divided by 255 twice)");
            return CheckResult.problem(this, CheckStatus.WARN, b.build());
        }
        return CheckResult.pass(this,
                String.format(java.util.Locale.ROOT, "features look normalized: mean %.4g, std %.4g",
                mean, std), ev);
    }
}
