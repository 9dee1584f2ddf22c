package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.NetworkOps;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checklist item {@code model.forward}: the forward pass runs on the first minibatch and its output has the labels'
 * shape.
 */
final class ForwardCheck extends BaseCheck {

    ForwardCheck() {
        super("model.forward", Level.CODE, Symptom.SHAPE_MISMATCH);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataSet first = ctx.first();
        NetworkOps ops = ctx.ops();
        if (first == null) {
            return CheckResult.noData(this);
        }
        if (ops.inputCount() != 1 || ops.outputCount() != 1) {
            return CheckResult.skip(this, "the graph has " + ops.inputCount() + " inputs and " + ops.outputCount()
                    + " outputs; the checklist runs single-input single-output networks");
        }
        CheckContext.Forward forward = ctx.forward();
        if (forward.error() != null) {
            RuntimeException e = forward.error();
            return CheckResult.problem(this, CheckStatus.FAIL, Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR,
                            "the forward pass fails on a minibatch of shape "
                                    + Arrays.toString(first.getFeatures().shape()) + ": " + e.getMessage())
                    .suggest("check nIn of the first layer and the input type: "
                            + ".setInputType(InputType.feedForward(n) / convolutional(h, w, c)) on the list "
                            + "builder adds the right pre-processors")
                    .build());
        }
        INDArray out = forward.output();
        long[] outShape = out.shape();
        long[] labelShape = forward.labelShape();
        OutputSetup setup = ctx.outputSetup();
        Map<String, Double> ev = new LinkedHashMap<>();
        ev.put("outputColumns", outShape.length > 1 ? (double) outShape[1] : 1.0);
        ev.put("labelColumns", labelShape == null || labelShape.length < 2 ? 1.0 : (double) labelShape[1]);
        ev.put("outputNonFinite", (double) io.dl4jdebug.measure.NonFiniteProbe.count(out));
        if (!forward.matchesLabels()) {
            Finding.Builder b = Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR, "the output has shape "
                            + Arrays.toString(outShape) + " but the labels have shape "
                            + Arrays.toString(labelShape))
                    .layer(setup == null ? null : setup.name());
            b.evidence(ev);
            b.suggest("set the output layer's nOut to the number of label columns (classes)",
                    "one-hot encode class indices, or use LossFunction.SPARSE_MCXENT for index labels");
            return CheckResult.problem(this, CheckStatus.FAIL, b.build());
        }
        return CheckResult.pass(this, "the forward pass runs; output shape " + Arrays.toString(outShape)
                + " matches the labels", ev);
    }
}
