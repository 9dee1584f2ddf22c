package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.model.ParameterInfo;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checklist item {@code parameters.update}: every trainable parameter with a gradient changes after one training step
 * of a copy.
 */
final class ParametersUpdateCheck extends BaseCheck {

    ParametersUpdateCheck() {
        super("parameters.update", Level.OPTIMIZATION, Symptom.WEIGHTS_NOT_UPDATING);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataSet first = ctx.first();
        NetworkOps ops = ctx.ops();
        if (first == null) {
            return CheckResult.noData(this);
        }
        if (!ctx.forwardOk()) {
            return CheckResult.noForward(this);
        }
        NetworkOps copy = ops.copy();
        ModelView copyView = copy.view();
        Map<ParameterInfo, INDArray> before = new LinkedHashMap<>();
        for (ParameterInfo p : copyView.parameters()) {
            if (p.isTrainable() && p.length() > 0) {
                before.put(p, copyView.parameterArray(p).dup());
            }
        }
        Set<String> missingGradients = ctx.missingGradients();
        copy.fit(first);
        List<Finding> found = new ArrayList<>();
        int alreadyMissing = 0;
        for (Map.Entry<ParameterInfo, INDArray> e : before.entrySet()) {
            ParameterInfo p = e.getKey();
            double change = copyView.parameterArray(p).sub(e.getValue()).norm2Number().doubleValue();
            if (change == 0.0) {
                if (missingGradients.contains(p.flatKey())) {
                    alreadyMissing++;
                    continue;
                }
                found.add(Finding.builder(Symptom.WEIGHTS_NOT_UPDATING, Severity.ERROR, "parameter "
                                + p.displayName() + " did not change after one training step although it has "
                                + "a gradient")
                        .layer(p.layer()).parameter(p.key()).evidence("changeNorm", change)
                        .suggest("check the updater of this layer: NoOp or a learning rate of 0 never update",
                                "check gradient normalization / clipping thresholds of 0")
                        .build());
            }
        }
        if (!found.isEmpty()) {
            return CheckResult.problem(this, CheckStatus.FAIL,
                    found.size() + " of " + before.size() + " trainable parameters did "
                    + "not change after one step: " + found.stream().map(f -> f.location().orElse(""))
                    .collect(Collectors.joining(", ")), found);
        }
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("parameters", (double) before.size());
        ev.put("unchangedWithoutGradient", (double) alreadyMissing);
        return CheckResult.pass(this, "every trainable parameter with a gradient changed after one step"
                + (alreadyMissing > 0 ? " (" + alreadyMissing + " without gradient: see "
                + "gradients.reach-parameters)" : ""), ev);
    }
}
