package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.preflight.ChecklistConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checklist item {@code env.determinism}: two re-seeded runs of a few steps on copies end with bit-identical
 * parameters.
 */
final class DeterminismCheck extends BaseCheck {

    DeterminismCheck() {
        super("env.determinism", Level.CODE, Symptom.NONDETERMINISTIC);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataSet first = ctx.first();
        ChecklistConfig config = ctx.config();
        NetworkOps ops = ctx.ops();
        if (first == null) {
            return CheckResult.noData(this);
        }
        if (!ctx.forwardOk()) {
            return CheckResult.noForward(this);
        }
        NetworkOps a = ops.copy();
        NetworkOps b = ops.copy();
        for (NetworkOps copy : List.of(a, b)) {
            Nd4j.getRandom().setSeed(config.seed());
            for (int i = 0; i < config.determinismSteps(); i++) {
                copy.fit(first);
            }
        }
        double maxDiff = a.model().params().sub(b.model().params()).amaxNumber().doubleValue();
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("maxAbsParameterDifference", maxDiff);
        ev.put("steps", (double) config.determinismSteps());
        if (maxDiff != 0.0) {
            Finding.Builder fb = Finding.builder(Symptom.NONDETERMINISTIC, Severity.WARN, String.format(
                    java.util.Locale.ROOT, "two runs of %d steps from the same parameters and seed differ by up "
                            + "to %.3g in the parameters", config.determinismSteps(), maxDiff));
            fb.evidence(ev);
            fb.suggest("set Nd4j.getRandom().setSeed(seed) before each run; on CUDA, cuDNN algorithms can be "
                            + "non-deterministic",
                    "avoid parallel data pipelines with shared random state (AsyncDataSetIterator with "
                            + "random augmentation)");
            return CheckResult.problem(this, CheckStatus.WARN, fb.build());
        }
        return CheckResult.pass(this,
                "two repeated runs of " + config.determinismSteps() + " steps are bit-identical", ev);
    }
}
