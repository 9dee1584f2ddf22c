package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@link Symptom#ACTIVATION_COLLAPSE}: a layer whose output is the same for every example of the minibatch (its
 * across-example standard deviation is below {@code collapseTolerance} times the root mean square of its values) on
 * {@code collapsePatience} consecutive checks. Layers whose output is all zero are left to the dead-unit rule;
 * minibatches of one example cannot be judged. Reported once per layer. Not thread safe.
 * <p>
 * The fixes depend on where the collapse starts. When an earlier layer of the same snapshot (snapshots list layers
 * in forward order) still tells the examples apart, the network itself erases the input with depth (a stack of
 * saturating activations, weights too small): the finding names the last such layer and suggests ReLU with He init,
 * BatchNorm or residual connections. When the first layer measured already collapses, the examples entered alike
 * or the first layer swamps them: the finding points at the data pipeline, the input scale and the init.
 */
public final class ActivationCollapseRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final RuleConfig config;
    private final Streaks streaks;

    /**
     * @param config the thresholds
     */
    public ActivationCollapseRule(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.streaks = new Streaks(config.collapsePatience());
    }

    /**
     * @param snapshot the newest activation snapshot
     * @return findings that became true with this snapshot
     */
    public List<Finding> evaluate(ActivationSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>();
        ActivationStats firstSpread = null;
        ActivationStats spreadUpstream = null;
        for (ActivationStats a : snapshot.layers()) {
            if (a.nonFinite() > 0 || !a.exampleSpreadMeasured() || a.zeroFraction() == 1.0) {
                continue;
            }
            double rms = rms(a);
            double relative = relativeSpread(a);
            boolean collapsed = rms > 0 && relative < config.collapseTolerance();
            OptionalLong streak = streaks.record(a.layer(), collapsed, snapshot.iteration());
            if (streak.isPresent()) {
                findings.add(finding(a, rms, relative, firstSpread, spreadUpstream, streak.getAsLong()));
            }
            if (!collapsed && rms > 0) {
                spreadUpstream = a;
                if (firstSpread == null) {
                    firstSpread = a;
                }
            }
        }
        return findings;
    }

    private static double rms(ActivationStats a) {
        return Math.sqrt(a.mean() * a.mean() + a.std() * a.std());
    }

    private static double relativeSpread(ActivationStats a) {
        double rms = rms(a);
        return rms == 0 ? 0 : a.exampleStd() / rms;
    }

    /**
     * @param first    the first layer measured whose examples differ (null when upstream is null)
     * @param upstream the last layer before this one (in the snapshot's order, forward order) whose examples still
     *                 differ, or null when the collapse starts at the first layer measured: then the examples
     *                 entered the network alike (data) or the first layer erased them (init, bias, scale)
     */
    private Finding finding(ActivationStats a, double rms, double relative, ActivationStats first,
                            ActivationStats upstream, long firstIteration) {
        Finding.Builder b = Finding.builder(Symptom.ACTIVATION_COLLAPSE, Severity.ERROR, String.format(
                        "output of layer %s (%s) is the same for all %d examples of the minibatch: spread across "
                                + "examples %.3g is %.2g of its scale %.3g (< %.2g)%s", a.layer(), a.activation(),
                        a.examples(), a.exampleStd(), relative, rms, config.collapseTolerance(), upstream == null ? ""
                                : String.format("; the relative spread falls with depth (%s%s %.2g -> here %.2g): the "
                                        + "examples still differ at %s, the layers in between erase the input",
                                first == upstream ? "" : String.format("%s %.2g -> ", first.layer(),
                                        relativeSpread(first)), upstream.layer(), relativeSpread(upstream), relative,
                                upstream.layer())))
                .layer(a.layer()).firstIteration(firstIteration)
                .evidence("exampleStd", a.exampleStd()).evidence("rms", rms)
                .evidence("relativeSpread", relative).evidence("threshold", config.collapseTolerance())
                .evidence("examples", a.examples());
        if (upstream != null) {
            b.evidence("upstreamRelativeSpread", relativeSpread(upstream))
                    .suggest("the signal fades with depth between " + upstream.layer() + " and " + a.layer()
                                    + ": replace saturating activations (sigmoid, tanh) by .activation(Activation.RELU) "
                                    + "with .weightInit(WeightInit.RELU) (He init)",
                            "add BatchNormalization after the hidden layers, or residual connections, so that the "
                                    + "signal keeps its scale layer after layer",
                            "check the init of the layers in between: weights too small, or a huge .biasInit(...), "
                                    + "drown the input's share of each output",
                            "try fewer layers: the minimal example's bisection (MinimalExample) finds the depth at "
                                    + "which learning stops");
        } else {
            b.suggest("check the data pipeline: are all examples of a minibatch the same (a repeated row, a "
                            + "broadcast, features overwritten by a preprocessor)?",
                    "check the features' scale: all-zero or constant inputs make every example equal",
                    "avoid WeightInit.ZERO or constant init: .weightInit(WeightInit.XAVIER) breaks the symmetry",
                    "a huge .biasInit(...) or a saturating activation can swamp the input signal");
        }
        return b.build();
    }

    @Override
    public List<Finding> onActivations(ActivationSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
