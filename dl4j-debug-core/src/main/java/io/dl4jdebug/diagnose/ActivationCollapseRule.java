package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@link Symptom#ACTIVATION_COLLAPSE}: a layer whose output is the same for every example of the minibatch (its
 * across-example standard deviation is below {@code collapseTolerance} times the root mean square of its values) on
 * {@code collapsePatience} consecutive checks. Layers whose output is all zero are left to the dead-unit rule;
 * minibatches of one example cannot be judged. Reported once per layer. Not thread safe.
 */
public final class ActivationCollapseRule implements Serializable {

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
        for (ActivationStats a : snapshot.layers()) {
            if (a.nonFinite() > 0 || !a.exampleSpreadMeasured() || a.zeroFraction() == 1.0) {
                continue;
            }
            double rms = Math.sqrt(a.mean() * a.mean() + a.std() * a.std());
            double relative = rms == 0 ? 0 : a.exampleStd() / rms;
            OptionalLong streak = streaks.record(a.layer(), rms > 0 && relative < config.collapseTolerance(),
                    snapshot.iteration());
            if (streak.isPresent()) {
                findings.add(Finding.builder(Symptom.ACTIVATION_COLLAPSE, Severity.ERROR, String.format(
                                "output of layer %s (%s) is the same for all %d examples of the minibatch: spread "
                                        + "across examples %.3g is %.2g of its scale %.3g (< %.2g)", a.layer(),
                                a.activation(), a.examples(), a.exampleStd(), relative, rms,
                                config.collapseTolerance()))
                        .layer(a.layer()).firstIteration(streak.getAsLong())
                        .evidence("exampleStd", a.exampleStd()).evidence("rms", rms)
                        .evidence("relativeSpread", relative).evidence("threshold", config.collapseTolerance())
                        .evidence("examples", a.examples())
                        .suggest("check the data pipeline: are all examples of a minibatch the same (a repeated "
                                        + "row, a broadcast, features overwritten by a preprocessor)?",
                                "check the features' scale: all-zero or constant inputs make every example equal",
                                "avoid WeightInit.ZERO or constant init: .weightInit(WeightInit.XAVIER) breaks the "
                                        + "symmetry",
                                "a huge .biasInit(...) or a saturating activation can swamp the input signal")
                        .build());
            }
        }
        return findings;
    }
}
