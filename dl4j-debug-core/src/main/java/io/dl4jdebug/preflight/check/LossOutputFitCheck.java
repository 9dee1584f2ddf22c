package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMAPE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSLE;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSquaredHinge;

import java.util.LinkedHashMap;
import java.util.Map;

/** Checklist item {@code loss.output-fit}: the output activation, the loss function and the labels fit together. */
final class LossOutputFitCheck extends BaseCheck {

    LossOutputFitCheck() {
        super("loss.output-fit", Level.CODE, Symptom.LOSS_OUTPUT_MISMATCH);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataScan trainScan = ctx.trainScan();

        OutputSetup out = ctx.outputSetup();
        if (out == null || out.loss() == null) {
            return CheckResult.skip(this, "no output layer with a loss function found");
        }
        String act = out.activation() == null ? "none" : out.activation().toString();
        String loss = out.loss().getClass().getSimpleName();
        long classes = out.nOut();
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("nOut", (double) classes);
        boolean regressionLoss = out.loss() instanceof LossL2 || out.loss() instanceof LossL1
                || out.loss() instanceof LossMSLE || out.loss() instanceof LossMAPE || out.loss() instanceof LossHinge
                || out.loss() instanceof LossSquaredHinge;
        if (out.isSoftmax() && regressionLoss) {
            return CheckResult.problem(this, CheckStatus.WARN,
                    finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.WARN, out.name(),
                    "softmax output trained with " + loss + ": the gradient vanishes as the softmax saturates "
                            + "and classes compete through the normalization; use cross-entropy", ev,
                    "new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)",
                    "for regression use Activation.IDENTITY with LossFunction.MSE"));
        }
        if (out.isSoftmax() && classes == 1) {
            return CheckResult.problem(this, CheckStatus.FAIL,
                    finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name(),
                    "softmax over a single output is always 1: the network cannot learn anything", ev,
                    "binary classification: .nOut(1).activation(Activation.SIGMOID) with LossFunction.XENT, or "
                            + ".nOut(2).activation(Activation.SOFTMAX) with LossFunction.MCXENT"));
        }
        if (out.loss() instanceof LossMCXENT && !(out.loss() instanceof LossSparseMCXENT) && !out.isSoftmax()) {
            if (out.activation() instanceof ActivationSigmoid && classes > 1 && trainScan.labelRows > 0
                    && trainScan.labelRowsNotSummingToOne == 0) {
                return CheckResult.problem(this, CheckStatus.FAIL,
                        finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name(),
                        "sigmoid outputs with multi-class cross-entropy (" + loss + ") on one-hot labels: "
                                + "the loss only pushes the true class up, nothing pushes the others down", ev,
                        ".activation(Activation.SOFTMAX) for single-label classes, or "
                                + "LossFunction.XENT for independent (multi-label) sigmoid outputs"));
            }
            if (!(out.activation() instanceof ActivationSigmoid)) {
                return CheckResult.problem(this, CheckStatus.FAIL,
                        finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name(),
                        "cross-entropy (" + loss + ") on " + act + " outputs, which are not probabilities: "
                                + "log of non-positive values gives NaN", ev,
                        ".activation(Activation.SOFTMAX) on the output layer"));
            }
        }
        if (out.loss() instanceof LossBinaryXENT && !(out.activation() instanceof ActivationSigmoid)
                && !out.isSoftmax()) {
            return CheckResult.problem(this, CheckStatus.FAIL,
                    finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name(),
                    "binary cross-entropy on " + act + " outputs, which are not in (0, 1): log of values "
                            + "outside (0, 1) gives NaN", ev, ".activation(Activation.SIGMOID) on the output layer"));
        }
        return CheckResult.pass(this, "output " + act + " with " + loss + " fit together", ev);
    }

    private static Finding finding(Symptom symptom, Severity severity, String layer, String message,
                                   Map<String, Double> evidence, String... suggestions) {
        Finding.Builder b = Finding.builder(symptom, severity, message).layer(layer);
        b.evidence(evidence);
        return b.suggest(suggestions).build();
    }
}
