package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Feeds snapshot histories to the optimization-level rules and collects their findings: update ratios
 * ({@link UpdateRatioRule}), activation collapse ({@link ActivationCollapseRule}), the loss curve
 * ({@link LossCurveRule}), regularization share ({@link RegularizationRule}), the fitting diagnosis
 * ({@link FittingRule}) and train/inference agreement ({@link TrainInferenceRule}). Gradient norms, dead and saturated units and non-finite values are judged by the monitors
 * themselves and are not repeated here. Plain Java: testable on synthetic histories. Not thread safe.
 */
public final class RuleEngine implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RuleConfig config;
    private final UpdateRatioRule updateRatio;
    private final ActivationCollapseRule collapse;
    private final LossCurveRule lossCurve;
    private final RegularizationRule regularization;
    private final FittingRule fitting;
    private final LossTracker loss;
    private final TrainInferenceRule trainInference = new TrainInferenceRule();

    /**
     * @param config the thresholds
     */
    public RuleEngine(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.updateRatio = new UpdateRatioRule(config);
        this.collapse = new ActivationCollapseRule(config);
        this.lossCurve = new LossCurveRule(config);
        this.regularization = new RegularizationRule(config);
        this.fitting = new FittingRule(config);
        this.loss = new LossTracker(config.lossWindow());
    }

    /** @return an engine with {@link RuleConfig#defaults()} */
    public static RuleEngine withDefaults() {
        return new RuleEngine(RuleConfig.defaults());
    }

    /** @return the thresholds */
    public RuleConfig config() {
        return config;
    }

    /**
     * @param snapshot a gradient snapshot
     * @return new findings
     */
    public List<Finding> onGradients(GradientSnapshot snapshot) {
        return updateRatio.evaluate(snapshot);
    }

    /**
     * @param snapshot an activation snapshot
     * @return new findings
     */
    public List<Finding> onActivations(ActivationSnapshot snapshot) {
        return collapse.evaluate(snapshot);
    }

    /**
     * @param snapshot one iteration's score
     * @return new findings
     */
    public List<Finding> onScore(ScoreSnapshot snapshot) {
        loss.add(snapshot.score());
        trainInference.onScore(snapshot);
        List<Finding> findings = new ArrayList<>(lossCurve.evaluate(snapshot));
        findings.addAll(regularization.evaluate(snapshot));
        return findings;
    }

    /**
     * @param snapshot one epoch's losses
     * @return new findings
     */
    public List<Finding> onEpoch(EpochSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>(trainInference.evaluate(snapshot));
        findings.addAll(fitting.evaluate(snapshot));
        return findings;
    }

    /** @return the training loss curve so far, in four numbers */
    public LossSummary lossSummary() {
        return loss.summary();
    }

    /** @return the fitting verdict of the latest epoch */
    public FittingStatus fittingStatus() {
        return fitting.status();
    }
}
