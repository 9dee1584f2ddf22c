package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.model.ParameterInfo;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The method's gradient check (section 5.1): compares backpropagated gradients with central differences
 * (f(w + e) - f(w - e)) / 2e, in double precision, parameter by parameter.
 *
 * <p>A friendly front over DL4J's {@link GradientCheckUtil}: it prepares what that utility requires and reports
 * what it only logs. It works on a copy of the network converted to DOUBLE with dropout and weight noise removed and
 * a NoOp updater on every layer; it sets ND4J's default data types to DOUBLE while checking and restores them after.
 * It checks up to {@code maxPerParameter} evenly spaced entries of every trainable parameter (BatchNorm running
 * statistics and frozen layers excluded) on the first few examples, computing the loss in training mode as DL4J's
 * utility does. ReLU-like activations have kinks and can fail spuriously when an input sits within epsilon of zero;
 * smooth activations (tanh, sigmoid, softmax) give a clean check. When {@code crossCheckWithDl4j} is set,
 * GradientCheckUtil runs too on a second copy and its verdict is reported beside the per-parameter errors (on a
 * ComputationGraph only up to {@link #DL4J_GRAPH_PARAMETER_LIMIT} parameters: DL4J checks every entry there). The user's
 * network is never modified. Not thread safe (it changes ND4J's global default data types while it runs).
 */
public final class GradientChecker {

    private static final Logger LOG = LoggerFactory.getLogger(GradientChecker.class);

    /**
     * DL4J's GradientCheckUtil for ComputationGraph ignores {@code subset}/{@code maxPerParam} in 1.0.0-M2.1 and
     * perturbs every parameter (two forward passes each): the cross-check runs on graphs up to this many parameters.
     */
    public static final long DL4J_GRAPH_PARAMETER_LIMIT = 2_000;

    private final GradientCheckConfig config;

    /**
     * @param config tolerances and subset sizes
     */
    public GradientChecker(GradientCheckConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** @return a checker with the default configuration */
    public static GradientChecker withDefaults() {
        return new GradientChecker(GradientCheckConfig.defaults());
    }

    /**
     * @param model an initialised MultiLayerNetwork or ComputationGraph with a single input and output
     * @param data  features and labels; its first {@code examples} examples are used
     * @return per-parameter errors and a GRADIENT_CHECK_FAILED finding per failing parameter
     */
    public GradientCheckReport check(Model model, DataSet data) {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(data, "data must not be null");
        if (data.numExamples() == 0 || data.getLabels() == null) {
            throw new IllegalArgumentException("data must hold at least one example with labels but had "
                    + data.numExamples() + " examples" + (data.getLabels() == null ? " and no labels" : ""));
        }
        NetworkOps ops = NetworkOps.of(model);
        if (ops.inputCount() != 1 || ops.outputCount() != 1) {
            throw new IllegalArgumentException("the gradient check supports one input and one output, but the graph "
                    + "has " + ops.inputCount() + " inputs and " + ops.outputCount() + " outputs");
        }
        DataType previous = Nd4j.dataType();
        DataType previousFloat = Nd4j.defaultFloatingPointType();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            DataSet small = Examples.first(data, config.examples(), DataType.DOUBLE);
            List<ParameterCheck> checks = centralDifferences(ops.doublePrecisionCopyForGradientCheck(), small);
            boolean runDl4j = config.crossCheckWithDl4j() && (ops.kind() == ModelKind.MULTI_LAYER_NETWORK
                    || model.numParams() <= DL4J_GRAPH_PARAMETER_LIMIT);
            Boolean dl4j = runDl4j ? dl4jVerdict(ops.doublePrecisionCopyForGradientCheck(), small) : null;
            return new GradientCheckReport(checks, dl4j, findings(checks));
        } finally {
            Nd4j.setDefaultDataTypes(previous, previousFloat);
        }
    }

    private List<ParameterCheck> centralDifferences(NetworkOps copy, DataSet data) {
        copy.computeGradient(data);
        copy.applyUpdaterToGradient(data.numExamples());
        ModelView view = copy.view();
        // Work on the flattened vectors, as GradientCheckUtil does: parameter views of W can be laid out differently
        // from their gradient views, the flattened vectors share one layout (layers in order, paramTable order).
        INDArray flatParams = view.flatParameters();
        INDArray flatGradient = view.flatGradient().orElseThrow(() -> new IllegalStateException(
                "the network holds no gradient after computeGradientAndScore")).dup();
        List<ParameterCheck> checks = new ArrayList<>();
        double eps = config.epsilon();
        long offset = 0;
        for (ParameterInfo p : view.parameters()) {
            long start = offset;
            offset += p.length();
            if (!p.isTrainable() || p.length() == 0) {
                continue;
            }
            long length = p.length();
            long step = Math.max(1, length / config.maxPerParameter());
            int checked = 0;
            int failures = 0;
            double maxRel = 0;
            double maxAbs = 0;
            for (long i = start; i < start + length && checked < config.maxPerParameter(); i += step) {
                double original = flatParams.getDouble(i);
                flatParams.putScalar(i, original + eps);
                double plus = copy.score(data, true);
                flatParams.putScalar(i, original - eps);
                double minus = copy.score(data, true);
                flatParams.putScalar(i, original);
                double numerical = (plus - minus) / (2 * eps);
                double analytic = flatGradient.getDouble(i);
                double abs = Math.abs(analytic - numerical);
                double rel = analytic == 0.0 && numerical == 0.0 ? 0.0
                        : abs / (Math.abs(analytic) + Math.abs(numerical));
                if (Double.isNaN(rel)) {
                    rel = Double.POSITIVE_INFINITY;
                }
                maxRel = Math.max(maxRel, rel);
                maxAbs = Math.max(maxAbs, abs);
                if (rel > config.maxRelativeError() && !(abs < config.minAbsoluteError())) {
                    failures++;
                }
                checked++;
            }
            checks.add(new ParameterCheck(p.layer(), p.key(), checked, maxRel, maxAbs, failures));
        }
        if (offset != flatParams.length()) {
            throw new IllegalStateException("parameter lengths add up to " + offset + " but the network has "
                    + flatParams.length() + " parameters");
        }
        return checks;
    }

    private Boolean dl4jVerdict(NetworkOps copy, DataSet data) {
        try {
            if (copy.model() instanceof MultiLayerNetwork) {
                return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                        .net((MultiLayerNetwork) copy.model()).input(data.getFeatures()).labels(data.getLabels())
                        .inputMask(data.getFeaturesMaskArray()).labelMask(data.getLabelsMaskArray())
                        .epsilon(config.epsilon()).maxRelError(config.maxRelativeError())
                        .minAbsoluteError(config.minAbsoluteError()).subset(true)
                        .maxPerParam(config.maxPerParameter()).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            }
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                    .net((ComputationGraph) copy.model()).inputs(new INDArray[]{data.getFeatures()})
                    .labels(new INDArray[]{data.getLabels()}).epsilon(config.epsilon())
                    .maxRelError(config.maxRelativeError()).minAbsoluteError(config.minAbsoluteError()).subset(true)
                    .maxPerParam(config.maxPerParameter()).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        } catch (RuntimeException e) {
            LOG.warn("DL4J GradientCheckUtil could not run; the per-parameter check stands alone", e);
            return null;
        }
    }

    private List<Finding> findings(List<ParameterCheck> checks) {
        List<Finding> findings = new ArrayList<>();
        boolean first = true;
        for (int i = checks.size() - 1; i >= 0; i--) {
            ParameterCheck c = checks.get(i);
            if (c.passed()) {
                continue;
            }
            Finding.Builder b = Finding.builder(Symptom.GRADIENT_CHECK_FAILED, Severity.ERROR, String.format(
                            Locale.ROOT, "backpropagated gradient of %s disagrees with central differences: %d of %d "
                                    + "entries fail, max relative error %.3e > %.1e%s", c.displayName(), c.failures(),
                            c.entriesChecked(), c.maxRelativeError(), config.maxRelativeError(), first
                                    ? " (the failing parameter nearest the output: the error most likely originates "
                                    + "in this layer's backward pass)" : " (may inherit the error of a layer above)"))
                    .layer(c.layer()).parameter(c.key())
                    .evidence("maxRelativeError", c.maxRelativeError())
                    .evidence("maxAbsoluteError", c.maxAbsoluteError())
                    .evidence("failures", c.failures()).evidence("entriesChecked", c.entriesChecked())
                    .evidence("threshold", config.maxRelativeError());
            if (first) {
                b.suggest("check backprop() of this layer's custom IActivation, layer or vertex: it must return "
                                + "dL/dinput = epsilon * f'(input)",
                        "ReLU-like kinks can fail spuriously: re-check with Activation.TANH to rule that out");
            }
            findings.add(b.build());
            first = false;
        }
        return findings;
    }
}
