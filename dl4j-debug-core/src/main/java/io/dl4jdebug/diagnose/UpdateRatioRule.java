package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Judges the update:parameter ratio (about 1e-3 is healthy) of every trainable parameter: above
 * {@code ratioTooHigh} is {@link Symptom#LEARNING_RATE_TOO_HIGH}, below {@code ratioTooLow} is
 * {@link Symptom#LEARNING_RATE_TOO_LOW}, and a zero update (ratio at most {@code notUpdatingRatio}) is
 * {@link Symptom#WEIGHTS_NOT_UPDATING}; each after {@code ratioPatience} consecutive checks past
 * {@code ratioWarmup}, once per parameter. Keys in {@code ratioIgnoredKeys} (biases) are judged only for not
 * updating. Not thread safe.
 */
public final class UpdateRatioRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final RuleConfig config;
    private final Streaks streaks;

    /**
     * @param config the thresholds
     */
    public UpdateRatioRule(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.streaks = new Streaks(config.ratioPatience());
    }

    /**
     * @param snapshot the newest gradient snapshot
     * @return findings that became true with this snapshot
     */
    public List<Finding> evaluate(GradientSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>();
        if (snapshot.iteration() < config.ratioWarmup()) {
            return findings;
        }
        long it = snapshot.iteration();
        for (ParameterStats p : snapshot.parameters()) {
            if (p.nonFiniteGradients() > 0 || p.nonFiniteParameters() > 0 || !Double.isFinite(p.updateNorm())) {
                continue; // the non-finite detector owns these
            }
            double ratio = p.updateRatio().orElse(Double.NaN);
            boolean stuck = p.updateNorm() == 0 || (Double.isFinite(ratio) && ratio <= config.notUpdatingRatio());
            OptionalLong notUpdating = streaks.record(key(Symptom.WEIGHTS_NOT_UPDATING, p), stuck, it);
            if (notUpdating.isPresent()) {
                findings.add(notUpdating(p, ratio, notUpdating.getAsLong(), snapshot));
            }
            boolean judged = !stuck && Double.isFinite(ratio) && !config.ratioIgnoredKeys().contains(p.key());
            OptionalLong high = streaks.record(key(Symptom.LEARNING_RATE_TOO_HIGH, p),
                    judged && ratio > config.ratioTooHigh(), it);
            if (high.isPresent()) {
                findings.add(Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, String.format(
                                "update:param ratio of %s is %.3g > %.3g (about 1e-3 is healthy) for %d checks: each "
                                        + "step rewrites a large part of the weights", p.displayName(), ratio,
                                config.ratioTooHigh(), config.ratioPatience()))
                        .layer(p.layer()).parameter(p.key()).firstIteration(high.getAsLong())
                        .evidence("updateRatio", ratio).evidence("threshold", config.ratioTooHigh())
                        .evidence("updateNorm", p.updateNorm()).evidence("parameterNorm", p.parameterNorm())
                        .evidence("gradientNorm", p.gradientNorm()).evidence("epoch", snapshot.epoch())
                        .evidence("minibatch", snapshot.minibatchSize())
                        .suggest("lower the learning rate 10x, e.g. .updater(new Adam(1e-3)) instead of a larger one",
                                ".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                                        + ".gradientNormalizationThreshold(1.0)",
                                "use a warm-up schedule: new Adam(new MapSchedule(ScheduleType.ITERATION, ...))")
                        .build());
            }
            OptionalLong low = streaks.record(key(Symptom.LEARNING_RATE_TOO_LOW, p),
                    judged && ratio < config.ratioTooLow(), it);
            if (low.isPresent()) {
                findings.add(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, String.format(
                                "update:param ratio of %s is %.3g < %.3g (about 1e-3 is healthy) for %d checks: the "
                                        + "weights barely move", p.displayName(), ratio, config.ratioTooLow(),
                                config.ratioPatience()))
                        .layer(p.layer()).parameter(p.key()).firstIteration(low.getAsLong())
                        .evidence("updateRatio", ratio).evidence("threshold", config.ratioTooLow())
                        .evidence("updateNorm", p.updateNorm()).evidence("parameterNorm", p.parameterNorm())
                        .evidence("gradientNorm", p.gradientNorm()).evidence("epoch", snapshot.epoch())
                        .evidence("minibatch", snapshot.minibatchSize())
                        .suggest("raise the learning rate 10x, e.g. .updater(new Adam(1e-3)) or new Sgd(0.01)",
                                "check learning-rate schedules: a decay may have reached ~0",
                                "check .l2()/.weightDecay(): a large decay can cancel the gradient step")
                        .build());
            }
        }
        return findings;
    }

    private Finding notUpdating(ParameterStats p, double ratio, long first, GradientSnapshot snapshot) {
        boolean noGradient = p.gradientNorm() == 0;
        Finding.Builder b = Finding.builder(Symptom.WEIGHTS_NOT_UPDATING, Severity.WARN, String.format(
                        "%s does not change: update norm %.3g (ratio %s) for %d checks%s", p.displayName(),
                        p.updateNorm(), Double.isFinite(ratio) ? String.format("%.3g", ratio) : "n/a",
                        config.ratioPatience(), noGradient ? "; it receives a zero gradient" : ""))
                .layer(p.layer()).parameter(p.key()).firstIteration(first)
                .evidence("updateNorm", p.updateNorm()).evidence("gradientNorm", p.gradientNorm())
                .evidence("parameterNorm", p.parameterNorm()).evidence("threshold", config.notUpdatingRatio())
                .evidence("epoch", snapshot.epoch()).evidence("minibatch", snapshot.minibatchSize());
        if (Double.isFinite(ratio)) {
            b.evidence("updateRatio", ratio);
        }
        if (noGradient) {
            b.suggest("the gradient is zero: look for dead ReLUs upstream (.activation(Activation.LEAKYRELU)), "
                            + "a detached branch, or BatchNormalization with gamma locked at 0",
                    "lower the learning rate: a too large first step can kill every unit");
        } else {
            b.suggest("check the layer's learning rate: .updater(new Sgd(0.0)) or a schedule that reached 0 freezes it "
                            + "(note: DL4J's new NoOp() does NOT freeze a layer, it applies the raw gradient)",
                    "check learning-rate schedules and .l2()/.weightDecay() that cancel the step",
                    "if the layer is meant to be frozen, wrap it in FrozenLayerWithBackprop so that it is reported "
                            + "as frozen");
        }
        return b.build();
    }

    private static String key(Symptom symptom, ParameterStats p) {
        return symptom + "|" + p.displayName();
    }

    @Override
    public List<Finding> onGradients(GradientSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
