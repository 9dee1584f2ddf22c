package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ParameterInfo;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checklist item {@code gradients.reach-parameters}: every trainable parameter receives a non-zero gradient on the
 * first minibatch.
 */
final class GradientsReachParametersCheck extends BaseCheck {

    GradientsReachParametersCheck() {
        super("gradients.reach-parameters", Level.CODE, Symptom.GRADIENT_MISSING);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataSet first = ctx.first();
        if (first == null) {
            return CheckResult.noData(this);
        }
        if (!ctx.forwardOk()) {
            return CheckResult.noForward(this);
        }
        List<Finding> found = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<ParameterInfo, Double> e : ctx.gradientNorms().entrySet()) {
            ParameterInfo p = e.getKey();
            double norm = e.getValue();
            checked++;
            if (norm == 0.0) {
                found.add(Finding.builder(Symptom.GRADIENT_MISSING, Severity.ERROR, "parameter "
                                + p.displayName() + " receives a zero gradient on a whole minibatch")
                        .layer(p.layer()).parameter(p.key())
                        .evidence("gradientNorm", norm).evidence("length", p.length())
                        .suggest("check that the layer is connected to the output (ComputationGraph inputs)",
                                "a layer below a BatchNormalization with lockGammaBeta(true) and gamma 0, or "
                                        + "dead ReLUs (large negative biasInit), blocks all gradient: "
                                        + "fix that layer",
                                "if the layer should not learn, wrap it in FrozenLayer so the intent is explicit")
                        .build());
            }
        }
        if (!found.isEmpty()) {
            return CheckResult.problem(this, CheckStatus.FAIL,
                    found.size() + " of " + checked + " trainable parameters receive no "
                    + "gradient: " + found.stream().map(f -> f.location().orElse(""))
                    .collect(Collectors.joining(", ")), found);
        }
        return CheckResult.pass(this, "all " + checked + " trainable parameters receive a non-zero gradient",
                Map.of("parameters", (double) checked));
    }
}
