package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The method's {@code visualize_activations}: a layer whose share of dead units (zero for every example), or of
 * units saturated at a tanh/sigmoid/softsign bound for every example, reaches its threshold on {@code patience}
 * consecutive checks is a finding, reported once per layer. A bounded layer is saturated too when that share of its
 * output values sits within 1 % of a bound (units that flip between the bounds with the input pass no gradient
 * either, though no single unit is at one bound for every example). "Zero for every example" is only evidence of a
 * dead unit when the check saw enough values per unit ({@code deadUnitMinValues}, examples times positions): on a
 * minibatch of 4 a healthy ReLU layer has more than half of its units silent by chance, so such checks neither
 * start nor break a dead-unit streak. Not thread safe.
 */
public final class ActivationHealthRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final double deadUnitThreshold;
    private final double saturatedUnitThreshold;
    private final long deadUnitMinValues;
    private final Streaks streaks;

    /**
     * @param config the thresholds and patience (validated by the config: shares in (0, 1])
     */
    public ActivationHealthRule(ActivationMonitorConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        this.deadUnitThreshold = config.deadUnitThreshold();
        this.saturatedUnitThreshold = config.saturatedUnitThreshold();
        this.deadUnitMinValues = config.deadUnitMinValues();
        this.streaks = new Streaks(config.patience());
    }

    /**
     * @param snapshot the newest activation snapshot
     * @return findings that became true with this snapshot (each layer and symptom at most once per run)
     */
    public List<Finding> evaluate(ActivationSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>();
        for (ActivationStats a : snapshot.layers()) {
            if (a.nonFinite() > 0) {
                continue; // the non-finite detector reports those; counts are meaningless here
            }
            double dead = a.deadUnitFraction();
            boolean enoughValues = a.units() > 0 && a.size() / a.units() >= deadUnitMinValues;
            OptionalLong deadStreak = enoughValues ? streaks.record(Symptom.DEAD_UNITS + "|" + a.layer(),
                    dead >= deadUnitThreshold, snapshot.iteration()) : OptionalLong.empty();
            if (deadStreak.isPresent()) {
                findings.add(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, String.format(
                                "%d of %d units of layer %s (%s) are dead: zero for every example (%.0f%% >= %.0f%%, "
                                        + "%d values per unit)", a.deadUnits(), a.units(), a.layer(), a.activation(),
                                100 * dead, 100 * deadUnitThreshold, a.size() / a.units()))
                        .layer(a.layer()).firstIteration(deadStreak.getAsLong())
                        .evidence("deadUnits", a.deadUnits()).evidence("units", a.units())
                        .evidence("deadFraction", dead).evidence("threshold", deadUnitThreshold)
                        .evidence("zeroFraction", a.zeroFraction())
                        .evidence("valuesPerUnit", a.size() / a.units())
                        .suggest("do not start biases negative: .biasInit(0.0) or a small positive .biasInit(0.01)",
                                ".activation(Activation.LEAKYRELU) or Activation.ELU keep a gradient below zero",
                                ".weightInit(WeightInit.RELU) (He initialisation) for ReLU layers",
                                "lower the learning rate: large steps push units into the dead zone")
                        .build());
            }
            double saturated = a.saturatedUnitFraction();
            double atBounds = a.saturation().fraction();
            boolean unitsSaturated = saturated >= saturatedUnitThreshold;
            OptionalLong satStreak = streaks.record(Symptom.SATURATED_ACTIVATIONS + "|" + a.layer(),
                    a.saturation().applies() && a.units() > 0
                            && (unitsSaturated || atBounds >= saturatedUnitThreshold),
                    snapshot.iteration());
            if (satStreak.isPresent()) {
                findings.add(Finding.builder(Symptom.SATURATED_ACTIVATIONS, Severity.WARN, unitsSaturated
                                ? String.format("%d of %d units of layer %s (%s) are saturated at a bound for every "
                                        + "example (%.0f%% >= %.0f%%)", a.saturation().units(), a.units(), a.layer(),
                                a.activation(), 100 * saturated, 100 * saturatedUnitThreshold)
                                : String.format("%.0f%% of the outputs of layer %s (%s) sit within 1%% of a bound "
                                        + "(>= %.0f%%), where the slope is nearly 0: the units flip between bounds "
                                        + "with the input and pass almost no gradient", 100 * atBounds, a.layer(),
                                a.activation(), 100 * saturatedUnitThreshold))
                        .layer(a.layer()).firstIteration(satStreak.getAsLong())
                        .evidence("saturatedUnits", a.saturation().units()).evidence("units", a.units())
                        .evidence("saturatedFraction", saturated).evidence("threshold", saturatedUnitThreshold)
                        .evidence("valuesAtBounds", a.saturation().fraction())
                        .suggest("normalise the inputs (NormalizerStandardize or ImagePreProcessingScaler(0, 1))",
                                ".weightInit(WeightInit.XAVIER) to keep pre-activations small",
                                ".activation(Activation.RELU) in hidden layers, or add BatchNormalization")
                        .build());
            }
        }
        return findings;
    }

    @Override
    public List<Finding> onActivations(ActivationSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
