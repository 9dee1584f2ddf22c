package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.preflight.ChecklistConfig;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checklist item {@code labels.valid}: labels exist and fit the output layer's loss (one-hot rows, class indices,
 * values in [0, 1]).
 */
final class LabelsValidCheck extends BaseCheck {

    LabelsValidCheck() {
        super("labels.valid", Level.CODE, Symptom.LABELS_INVALID);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataScan trainScan = ctx.trainScan();
        DataSet first = ctx.first();
        ChecklistConfig config = ctx.config();
        if (first == null) {
            return CheckResult.noData(this);
        }
        if (first.getLabels() == null) {
            return CheckResult.problem(this, CheckStatus.FAIL, Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR,
                            "the training minibatches carry no labels")
                    .suggest("build DataSets with new DataSet(features, labels)").build());
        }
        if (trainScan.nonFiniteLabels > 0) {
            return CheckResult.skip(this, "labels contain NaN or infinite values (see data.finite)");
        }
        OutputSetup out = ctx.outputSetup();
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("labelColumns", (double) trainScan.labelColumns);
        ev.put("labelMin", trainScan.labelMin);
        ev.put("labelMax", trainScan.labelMax);
        ev.put("rowsNotSummingToOne", (double) trainScan.labelRowsNotSummingToOne);
        ev.put("labelRows", (double) trainScan.labelRows);
        if (out == null || out.loss() == null) {
            return CheckResult.pass(this, "labels are finite; no output layer loss to check them against", ev);
        }
        String layer = out.name();
        if (out.loss() instanceof LossSparseMCXENT) {
            long classes = out.nOut();
            boolean badRange = trainScan.labelMin < 0 || (classes > 0 && trainScan.labelMax > classes - 1);
            if (badRange || trainScan.nonIntegerLabels > 0 || trainScan.labelColumns != 1) {
                return CheckResult.problem(this, CheckStatus.FAIL,
                        Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR,
                                "sparse cross-entropy needs one integer class index in [0, " + (classes - 1)
                                        + "] per example, but labels range over [" + trainScan.labelMin + ", "
                                        + trainScan.labelMax + "] with " + trainScan.nonIntegerLabels
                                        + " non-integer values in " + trainScan.labelColumns + " columns")
                        .layer(layer).evidence("labelMin", trainScan.labelMin)
                        .evidence("labelMax", trainScan.labelMax)
                        .evidence("nonIntegerLabels", trainScan.nonIntegerLabels)
                        .suggest("use class indices 0..nOut-1, or one-hot labels with LossFunction.MCXENT")
                        .build());
            }
            return CheckResult.pass(this, "labels are integer class indices in range", ev);
        }
        boolean inUnitRange = trainScan.labelMin >= -config.labelTolerance()
                && trainScan.labelMax <= 1 + config.labelTolerance();
        if (out.loss() instanceof LossMCXENT && out.isSoftmax()) {
            if (trainScan.labelsMasked && inUnitRange) {
                return CheckResult.pass(this, "labels are in [0, 1] (masked: row sums not checked)", ev);
            }
            if (!inUnitRange || trainScan.labelRowsNotSummingToOne > 0) {
                Finding.Builder b = Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR, String.format(
                                java.util.Locale.ROOT, "softmax cross-entropy needs one-hot (or probability) "
                                        + "label rows, but %d of %d rows do not sum to 1 and values range over "
                                        + "[%.4g, %.4g]", trainScan.labelRowsNotSummingToOne, trainScan.labelRows,
                                trainScan.labelMin, trainScan.labelMax))
                        .layer(layer);
                b.evidence(ev);
                b.suggest("one-hot encode class indices: new RecordReaderDataSetIterator(reader, batch, "
                        + "labelIndex, numClasses) or Nd4j.zeros(n, C).putScalar(i, cls, 1)");
                return CheckResult.problem(this, CheckStatus.FAIL, b.build());
            }
            boolean oneHot = trainScan.nonIntegerLabels == 0;
            return CheckResult.pass(this,
                    oneHot ? "labels are one-hot rows" : "labels are probability rows (soft labels)",
                    ev);
        }
        if (out.loss() instanceof LossBinaryXENT || out.activation() instanceof ActivationSigmoid) {
            if (!inUnitRange) {
                Finding.Builder b = Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR, String.format(
                                java.util.Locale.ROOT, "binary cross-entropy / sigmoid outputs need labels in "
                                        + "[0, 1], but labels range over [%.4g, %.4g]", trainScan.labelMin,
                                trainScan.labelMax))
                        .layer(layer);
                b.evidence(ev);
                b.suggest("map labels to 0/1 (e.g. -1/1 labels: (y + 1) / 2)");
                return CheckResult.problem(this, CheckStatus.FAIL, b.build());
            }
            return CheckResult.pass(this, "labels are in [0, 1]", ev);
        }
        return CheckResult.pass(this,
                "labels are finite (regression-style loss " + out.loss() + ": no range to check)", ev);
    }
}
