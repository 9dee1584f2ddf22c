package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.preflight.ChecklistConfig;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checklist item {@code config.dropout}: dropout retain probabilities are plausible (DL4J's dropOut(p) is the
 * probability to retain; GaussianDropout(rate) takes the share to drop, and is judged as retaining 1 - rate).
 */
final class DropoutCheck extends BaseCheck {

    DropoutCheck() {
        super("config.dropout", Level.CODE, Symptom.DROPOUT_MISCONFIGURED);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        ChecklistConfig config = ctx.config();
        Map<String, Layer> confs = ctx.layerConfigurations();
        List<Finding> found = new ArrayList<>();
        int withDropout = 0;
        for (Map.Entry<String, Layer> e : confs.entrySet()) {
            Layer inner = ModelView.innermost(e.getValue());
            IDropout d = inner.getIDropout();
            double retain;
            if (d instanceof Dropout) {
                Dropout dd = (Dropout) d;
                retain = dd.getPSchedule() != null ? dd.getPSchedule().valueAt(0, 0) : dd.getP();
            } else if (d instanceof SpatialDropout) {
                SpatialDropout sd = (SpatialDropout) d;
                retain = sd.getPSchedule() != null ? sd.getPSchedule().valueAt(0, 0) : sd.getP();
            } else if (d instanceof GaussianDropout gd) {
                double rate = gd.getRateSchedule() != null ? gd.getRateSchedule().valueAt(0, 0) : gd.getRate();
                withDropout++;
                if (1 - rate < config.minDropoutRetain()) {
                    found.add(gaussian(e.getKey(), rate, config));
                }
                continue;
            } else {
                continue;
            }
            withDropout++;
            if (retain < config.minDropoutRetain()) {
                found.add(Finding.builder(Symptom.DROPOUT_MISCONFIGURED, Severity.WARN, String.format(
                                java.util.Locale.ROOT, "layer %s keeps only %.0f%% of its input activations: "
                                        + "DL4J's dropOut(p) is the probability to RETAIN, so dropOut(%.2g) drops "
                                        + "%.0f%%", e.getKey(), 100 * retain, retain, 100 * (1 - retain)))
                        .layer(e.getKey()).evidence("retainProbability", retain)
                        .evidence("minDropoutRetain", config.minDropoutRetain())
                        .suggest(String.format(java.util.Locale.ROOT, "to drop %.0f%%, write .dropOut(%s)",
                                100 * retain, new java.math.BigDecimal(1 - retain)
                                        .round(new java.math.MathContext(3)).stripTrailingZeros()
                                        .toPlainString()))
                        .build());
            }
        }
        if (!found.isEmpty()) {
            return CheckResult.problem(this, CheckStatus.WARN, found.size() + " layers keep less than "
                    + (int) (100 * config.minDropoutRetain()) + "% of their activations: "
                    + found.stream().map(Finding::layer).collect(Collectors.joining(", ")), found);
        }
        return CheckResult.pass(this, withDropout == 0 ? "no dropout configured"
                : withDropout + " layers with dropout, all retain probabilities plausible",
                Map.of("layersWithDropout", (double) withDropout));
    }

    /**
     * GaussianDropout(rate) multiplies each activation by noise of mean 1 and standard deviation
     * sqrt(rate / (1 - rate)): unlike dropOut(p), its argument is the share that standard dropout would DROP.
     */
    private static Finding gaussian(String layer, double rate, ChecklistConfig config) {
        double std = Math.sqrt(rate / (1 - rate));
        return Finding.builder(Symptom.DROPOUT_MISCONFIGURED, Severity.WARN, String.format(java.util.Locale.ROOT,
                        "layer %s has GaussianDropout(%.2g): it multiplies every activation by noise of standard "
                                + "deviation sqrt(rate / (1 - rate)) = %.2g, the noise of dropping %.0f%% (its rate "
                                + "is the share DROPPED, unlike dropOut(p))", layer, rate, std, 100 * rate))
                .layer(layer).evidence("rate", rate).evidence("noiseStd", std)
                .evidence("minDropoutRetain", config.minDropoutRetain())
                .suggest(String.format(java.util.Locale.ROOT, "to drop %.0f%%, write new GaussianDropout(%s)",
                        100 * (1 - rate), new java.math.BigDecimal(1 - rate).round(new java.math.MathContext(3))
                                .stripTrailingZeros().toPlainString()))
                .build();
    }
}
