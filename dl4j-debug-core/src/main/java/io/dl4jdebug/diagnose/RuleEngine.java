package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one judge stage: hands every snapshot to every registered {@link Rule} and collects their findings. The suite's
 * engine ({@link #of(RuleConfig, GradientMonitorConfig, ActivationMonitorConfig)}) registers, in this order:
 * gradient norms ({@link GradientNormRule}), update ratios ({@link UpdateRatioRule}), dead and saturated units
 * ({@link ActivationHealthRule}), activation collapse ({@link ActivationCollapseRule}), the forward signal's decay
 * with depth ({@link SignalDecayRule}), the loss curve
 * ({@link LossCurveRule}), regularization share ({@link RegularizationRule}), train/inference agreement
 * ({@link TrainInferenceRule}) and the fitting diagnosis ({@link FittingRule}). Monitors only measure; adding a rule
 * is its own class plus one line in {@link #of}. The engine also follows the loss curve ({@link #lossSummary()}) for
 * the diagnosis. Plain Java: testable on synthetic histories. Not thread safe.
 */
public final class RuleEngine implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RuleConfig config;
    private final List<Rule> rules;
    private final FittingRule fitting;
    private final LossTracker loss;
    private boolean epochSeen;
    private double lastEpochTrainLoss;
    private int epochsCompleted;

    private RuleEngine(RuleConfig config, List<Rule> rules) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.rules = List.copyOf(rules);
        this.fitting = (FittingRule) this.rules.stream().filter(r -> r instanceof FittingRule).findFirst()
                .orElse(null);
        this.loss = new LossTracker(config.lossWindow());
    }

    /**
     * The optimization-level rules only (gradient norms and unit health are left to the caller).
     *
     * @param config the thresholds
     */
    public RuleEngine(RuleConfig config) {
        this(config, optimizationRules(config));
    }

    /**
     * Every rule of the suite.
     *
     * @param config      the thresholds of the optimization rules
     * @param gradients   the gradient-norm thresholds and patience
     * @param activations the dead/saturated-unit thresholds and patience
     * @return the engine
     */
    public static RuleEngine of(RuleConfig config, GradientMonitorConfig gradients,
                                ActivationMonitorConfig activations) {
        List<Rule> rules = new ArrayList<>();
        rules.add(new GradientNormRule(gradients));
        rules.add(new UpdateRatioRule(config));
        rules.add(new ActivationHealthRule(activations));
        rules.addAll(ruleOnTheCurves(config));
        return new RuleEngine(config, rules);
    }

    /**
     * An engine with the given rules only (e.g. one monitor used alone with its own rule).
     *
     * @param config the thresholds (for the loss summary's window)
     * @param rules  the rules, in the order they judge
     * @return the engine
     */
    public static RuleEngine of(RuleConfig config, List<Rule> rules) {
        return new RuleEngine(config, rules);
    }

    /** @return the update-ratio rule and the rules on activations, losses and epochs */
    private static List<Rule> optimizationRules(RuleConfig config) {
        List<Rule> rules = new ArrayList<>();
        rules.add(new UpdateRatioRule(config));
        rules.addAll(ruleOnTheCurves(config));
        return rules;
    }

    /** @return the rules on activations (beyond unit health), the loss curve, regularization and epochs */
    private static List<Rule> ruleOnTheCurves(RuleConfig config) {
        return List.of(new ActivationCollapseRule(config), new SignalDecayRule(config), new LossCurveRule(config),
                new RegularizationRule(config), new TrainInferenceRule(), new FittingRule(config));
    }

    /** @return an engine with {@link RuleConfig#defaults()} and the optimization rules */
    public static RuleEngine withDefaults() {
        return new RuleEngine(RuleConfig.defaults());
    }

    /** @return the thresholds */
    public RuleConfig config() {
        return config;
    }

    /** @return the registered rules, in the order they judge */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * @param snapshot a gradient snapshot
     * @return new findings
     */
    public List<Finding> onGradients(GradientSnapshot snapshot) {
        return each(r -> r.onGradients(snapshot));
    }

    /**
     * @param snapshot an activation snapshot
     * @return new findings
     */
    public List<Finding> onActivations(ActivationSnapshot snapshot) {
        return each(r -> r.onActivations(snapshot));
    }

    /**
     * @param snapshot one iteration's score
     * @return new findings
     */
    public List<Finding> onScore(ScoreSnapshot snapshot) {
        loss.add(snapshot.score());
        return each(r -> r.onScore(snapshot));
    }

    /**
     * @param snapshot one epoch's losses
     * @return new findings
     */
    public List<Finding> onEpoch(EpochSnapshot snapshot) {
        epochsCompleted = Math.max(epochsCompleted, snapshot.epoch() + 1);
        if (Double.isFinite(snapshot.trainLoss())) {
            epochSeen = true;
            lastEpochTrainLoss = snapshot.trainLoss();
        }
        return each(r -> r.onEpoch(snapshot));
    }

    private List<Finding> each(Function<Rule, List<Finding>> call) {
        List<Finding> findings = new ArrayList<>();
        for (Rule r : rules) {
            findings.addAll(call.apply(r));
        }
        return findings;
    }

    /** @return the training loss curve so far, in four numbers, and the epochs completed */
    public LossSummary lossSummary() {
        return loss.summary().withEpochs(epochsCompleted);
    }

    /**
     * @return the fitting verdict of the latest epoch ({@code KEEP_WATCHING} without a fitting rule), or
     *         {@code NOT_LEARNING} when the training loss never went below its initial value, or the latest epoch's
     *         training loss is back at it (no fitting verdict applies to a run that does not learn)
     */
    public FittingStatus fittingStatus() {
        LossSummary summary = loss.summary();
        boolean judged = summary.measured() && summary.iterations() >= 2L * summary.window();
        boolean backAtStart = epochSeen
                && lastEpochTrainLoss >= summary.first() * (1 - LossSummary.LEARNED_MARGIN);
        if (judged && (!summary.learned() || backAtStart)) {
            return FittingStatus.NOT_LEARNING;
        }
        return fitting == null ? FittingStatus.KEEP_WATCHING : fitting.status();
    }
}
