package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.preflight.ChecklistConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.LinkedHashMap;
import java.util.Map;

/** Checklist item {@code loss.init}: the loss at initialization of a softmax classifier is near ln(C). */
final class InitLossCheck extends BaseCheck {

    InitLossCheck() {
        super("loss.init", Level.CODE, Symptom.INIT_LOSS_UNEXPECTED);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataSet first = ctx.first();
        ChecklistConfig config = ctx.config();
        NetworkOps ops = ctx.ops();
        if (first == null) {
            return CheckResult.noData(this);
        }
        OutputSetup out = ctx.outputSetup();
        if (out == null || !(out.loss() instanceof LossMCXENT) || !out.isSoftmax() || out.nOut() < 2) {
            return CheckResult.skip(this, "the expected initial loss ln(C) applies to a softmax with cross-entropy");
        }
        if (!ctx.forwardOk()) {
            return CheckResult.noForward(this);
        }
        NetworkOps copy = ops.copy();
        double loss = copy.dataLoss(first);
        double expected = Math.log(out.nOut());
        double deviation = Math.abs(loss - expected) / expected;
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("initialLoss", loss);
        ev.put("expectedLnC", expected);
        ev.put("relativeDeviation", deviation);
        ev.put("tolerance", config.initLossTolerance());
        if (!Double.isFinite(loss) || deviation > config.initLossTolerance()) {
            Finding.Builder b = Finding.builder(Symptom.INIT_LOSS_UNEXPECTED, Double.isFinite(loss)
                            ? Severity.WARN : Severity.ERROR, String.format(java.util.Locale.ROOT,
                            "the loss at initialization is %.4g, expected about ln(%d) = %.4g for a %d-class "
                                    + "softmax (relative deviation %.3g > %.3g)", loss, out.nOut(), expected,
                            out.nOut(), deviation, config.initLossTolerance()))
                    .layer(out.name());
            b.evidence(ev);
            b.suggest("initialize the output layer small: .weightInit(WeightInit.XAVIER) and .biasInit(0)",
                    "check that features are normalized (large inputs give confident, wrong initial outputs)");
            return CheckResult.problem(this, Double.isFinite(loss) ? CheckStatus.WARN : CheckStatus.FAIL, b.build());
        }
        return CheckResult.pass(this,
                String.format(java.util.Locale.ROOT, "initial loss %.4g is near ln(%d) = %.4g", loss,
                out.nOut(), expected), ev);
    }
}
