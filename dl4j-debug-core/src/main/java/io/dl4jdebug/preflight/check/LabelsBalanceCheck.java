package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.preflight.ChecklistConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checklist item {@code labels.balance}: classes of a one-hot classification are not heavily imbalanced. */
final class LabelsBalanceCheck extends BaseCheck {

    LabelsBalanceCheck() {
        super("labels.balance", Level.CODE, Symptom.CLASS_IMBALANCE);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataScan trainScan = ctx.trainScan();
        DataSet first = ctx.first();
        ChecklistConfig config = ctx.config();
        if (first == null) {
            return CheckResult.noData(this);
        }
        OutputSetup out = ctx.outputSetup();
        boolean classification = out != null && out.loss() != null && !(out.loss() instanceof LossSparseMCXENT)
                && (out.loss() instanceof LossMCXENT || out.loss() instanceof LossBinaryXENT);
        if (!classification || trainScan.classMass == null || trainScan.nonFiniteLabels > 0) {
            return CheckResult.skip(this, "not a one-hot classification setup: class balance not judged");
        }
        double[] mass = trainScan.classMass;
        if (mass.length == 1) {
            mass = new double[]{trainScan.labelRows - mass[0], mass[0]};
        }
        int classes = mass.length;
        if (trainScan.labelRows < (long) classes * config.minExamplesPerClass()) {
            return CheckResult.skip(this, "only " + trainScan.labelRows + " label rows scanned for " + classes
                    + " classes (need " + classes * config.minExamplesPerClass() + " to judge balance)");
        }
        double most = Arrays.stream(mass).max().orElse(0);
        double least = Arrays.stream(mass).min().orElse(0);
        int leastClass = 0;
        for (int i = 0; i < classes; i++) {
            if (mass[i] == least) {
                leastClass = i;
                break;
            }
        }
        double ratio = least <= 0 ? Double.POSITIVE_INFINITY : most / least;
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("classes", (double) classes);
        ev.put("mostFrequent", most);
        ev.put("leastFrequent", least);
        ev.put("leastFrequentClass", (double) leastClass);
        ev.put("ratio", ratio);
        ev.put("maxImbalanceRatio", config.maxImbalanceRatio());
        if (ratio > config.maxImbalanceRatio()) {
            Finding.Builder b = Finding.builder(Symptom.CLASS_IMBALANCE, Severity.WARN, String.format(
                    java.util.Locale.ROOT, "classes are imbalanced: the most frequent has %.0f examples, class %d"
                            + " has %.0f (ratio %.3g > %.3g) in the first %d examples", most, leastClass, least,
                    ratio, config.maxImbalanceRatio(), trainScan.labelRows));
            b.evidence(ev);
            b.suggest("weight the loss: new LossMCXENT(Nd4j.create(classWeights)) in OutputLayer.Builder"
                            + ".lossFunction(...)",
                    "resample the training set, and judge with per-class metrics (Evaluation.stats()) rather "
                            + "than accuracy",
                    "if the data is sorted by class, shuffle it: a scan of the first minibatches then sees "
                            + "few classes");
            return CheckResult.problem(this, CheckStatus.WARN, b.build());
        }
        return CheckResult.pass(this, String.format(java.util.Locale.ROOT, "%d classes, most/least frequent ratio %.3g",
                classes, ratio), ev);
    }
}
