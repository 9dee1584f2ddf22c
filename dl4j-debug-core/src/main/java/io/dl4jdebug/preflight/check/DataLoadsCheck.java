package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.dataset.DataSet;

import java.util.LinkedHashMap;
import java.util.Map;

/** Checklist item {@code data.loads}: the training iterator yields minibatches with features. */
final class DataLoadsCheck extends BaseCheck {

    DataLoadsCheck() {
        super("data.loads", Level.CODE, Symptom.SHAPE_MISMATCH);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataScan trainScan = ctx.trainScan();
        DataSet first = ctx.first();
        if (trainScan.error != null) {
            return CheckResult.problem(this, CheckStatus.FAIL, Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR,
                            "the training iterator failed after " + trainScan.batches + " minibatches: "
                                    + trainScan.error)
                    .evidence("batches", trainScan.batches)
                    .suggest("fix the DataSetIterator: call iterator.next() yourself and inspect the DataSet")
                    .build());
        }
        if (trainScan.examples == 0 || trainScan.featuresPerExample == 0) {
            return CheckResult.problem(this, CheckStatus.FAIL, Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR,
                            "the training iterator produced no examples (" + trainScan.batches + " minibatches)")
                    .evidence("batches", trainScan.batches).evidence("examples", trainScan.examples)
                    .suggest("check the data path and that the iterator was not already consumed "
                            + "(iterator.reset())")
                    .build());
        }
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("batches", (double) trainScan.batches);
        ev.put("examples", (double) trainScan.examples);
        ev.put("featuresPerExample", (double) trainScan.featuresPerExample);
        ev.put("batchSize", (double) first.numExamples());
        ev.put("resetSupported", trainScan.resetSupported ? 1.0 : 0.0);
        return CheckResult.pass(this, "read " + trainScan.examples + " examples in " + trainScan.batches
                + " minibatches of up to " + first.numExamples()
                + (trainScan.resetSupported ? "" : " (the iterator cannot reset: these minibatches were consumed)"),
                ev);
    }
}
