package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The method's {@code check_gradients}: a per-example gradient norm below the vanishing threshold or above the
 * exploding threshold, on {@code patience} consecutive checks, is a finding, reported once per parameter.
 *
 * <p>Exploding gradients are also judged relative to the other layers (the classic case of a recurrent layer whose
 * gradient grows through the time steps while the layers around it stay calm): a layer's gradient norm (over all its
 * parameters, for an LSTM {@code W}, {@code RW} and {@code b}) at least {@value #RELATIVE_FACTOR} times the median of
 * the other layers' norms, at least {@value #RELATIVE_GROWTH} times its own norm at the first check, and at least
 * {@value #RELATIVE_FLOOR}, on {@code patience} consecutive checks, is an {@code EXPLODING_GRADIENT} finding for that
 * layer (evidence {@code ratioToOtherLayers}), reported once per layer. The growth condition keeps a layer that is
 * merely large next to vanishing or dead layers (an output layer above a dead ReLU stack) from counting.
 * Not thread safe.
 */
public final class GradientNormRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final double vanishingThreshold;
    private final double explodingThreshold;
    private final Streaks streaks;
    /** Each layer's gradient norm at its first check, for the growth condition of the relative test. */
    private final java.util.Map<String, Double> firstLayerNorm = new java.util.HashMap<>();

    /** A layer's gradient norm over the median of the other layers' at or above this is relatively exploding. */
    public static final double RELATIVE_FACTOR = 100;
    /** ... provided it grew at least this much since its first check. */
    public static final double RELATIVE_GROWTH = 10;
    /** ... and is at least this large (per example). */
    public static final double RELATIVE_FLOOR = 1;

    /**
     * @param config the thresholds and patience (validated by the config: 0 < vanishing < exploding)
     */
    public GradientNormRule(GradientMonitorConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        this.vanishingThreshold = config.vanishingThreshold();
        this.explodingThreshold = config.explodingThreshold();
        this.streaks = new Streaks(config.patience());
    }

    /**
     * @param snapshot the newest gradient snapshot
     * @return findings that became true with this snapshot (each parameter and symptom at most once per run)
     */
    public List<Finding> evaluate(GradientSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>();
        for (ParameterStats p : snapshot.parameters()) {
            double g = p.gradientNorm();
            OptionalLong vanishing = streaks.record(Symptom.VANISHING_GRADIENT + "|" + p.displayName(),
                    g < vanishingThreshold, snapshot.iteration());
            if (vanishing.isPresent()) {
                findings.add(Finding.builder(Symptom.VANISHING_GRADIENT, Severity.WARN, String.format(
                                "gradient of %s vanishes: per-example L2 norm %.3g < %.3g", p.displayName(), g,
                                vanishingThreshold))
                        .layer(p.layer()).parameter(p.key()).firstIteration(vanishing.getAsLong())
                        .evidence("gradientNorm", g).evidence("threshold", vanishingThreshold)
                        .suggest(".activation(Activation.RELU) instead of sigmoid/tanh in the hidden layers",
                                ".weightInit(WeightInit.RELU) (He) for ReLU layers, WeightInit.XAVIER for tanh",
                                "add BatchNormalization layers between the hidden layers",
                                "add residual connections (ComputationGraph with an ElementWiseVertex(Op.Add))",
                                "use fewer layers, then add them back one at a time")
                        .build());
            }
            OptionalLong exploding = streaks.record(Symptom.EXPLODING_GRADIENT + "|" + p.displayName(),
                    g > explodingThreshold, snapshot.iteration());
            if (exploding.isPresent()) {
                findings.add(Finding.builder(Symptom.EXPLODING_GRADIENT, Severity.WARN, String.format(
                                "gradient of %s explodes: per-example L2 norm %.3g > %.3g", p.displayName(), g,
                                explodingThreshold))
                        .layer(p.layer()).parameter(p.key()).firstIteration(exploding.getAsLong())
                        .evidence("gradientNorm", g).evidence("threshold", explodingThreshold)
                        .suggest(".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                                        + ".gradientNormalizationThreshold(1.0)",
                                "lower the learning rate, e.g. .updater(new Adam(1e-4))",
                                ".weightInit(WeightInit.XAVIER) or WeightInit.RELU instead of large-variance init",
                                "normalise the inputs (NormalizerStandardize) and add BatchNormalization layers")
                        .build());
            }
        }
        relative(snapshot, findings);
        return findings;
    }

    private void relative(GradientSnapshot snapshot, List<Finding> findings) {
        java.util.Map<String, Double> sumSquares = new java.util.LinkedHashMap<>();
        for (ParameterStats p : snapshot.parameters()) {
            double g = p.gradientNorm();
            sumSquares.merge(p.layer(), g * g, Double::sum);
        }
        if (sumSquares.size() < 2) {
            return;
        }
        java.util.Map<String, Double> norms = new java.util.LinkedHashMap<>();
        sumSquares.forEach((layer, sq) -> norms.put(layer, Math.sqrt(sq)));
        for (java.util.Map.Entry<String, Double> e : norms.entrySet()) {
            double norm = e.getValue();
            if (!Double.isFinite(norm)) {
                continue;
            }
            double first = firstLayerNorm.computeIfAbsent(e.getKey(), k -> norm);
            double median = median(norms.entrySet().stream().filter(o -> !o.getKey().equals(e.getKey()))
                    .mapToDouble(java.util.Map.Entry::getValue).filter(Double::isFinite).sorted().toArray());
            double ratio = median > 0 ? norm / median : Double.POSITIVE_INFINITY;
            boolean exploding = median > 0 && ratio >= RELATIVE_FACTOR && norm >= RELATIVE_GROWTH * first
                    && norm >= RELATIVE_FLOOR;
            OptionalLong streak = streaks.record(Symptom.EXPLODING_GRADIENT + "|relative|" + e.getKey(), exploding,
                    snapshot.iteration());
            if (streak.isPresent()) {
                findings.add(Finding.builder(Symptom.EXPLODING_GRADIENT, Severity.WARN, String.format(
                                "gradient of layer %s explodes relative to the other layers: L2 norm %.3g is %.0fx "
                                        + "the median of the others (%.3g) and %.0fx its first value", e.getKey(),
                                norm, ratio, median, norm / first))
                        .layer(e.getKey()).firstIteration(streak.getAsLong())
                        .evidence("gradientNorm", norm).evidence("ratioToOtherLayers", ratio)
                        .evidence("growth", norm / first).evidence("threshold", RELATIVE_FACTOR)
                        .suggest(".gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)"
                                        + ".gradientNormalizationThreshold(1.0) on that layer (recurrent layers), or "
                                        + "ClipL2PerLayer",
                                ".backpropType(BackpropType.TruncatedBPTT).tBPTTLength(...) for long sequences",
                                "lower the learning rate")
                        .build());
            }
        }
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    @Override
    public List<Finding> onGradients(GradientSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
