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
 * Not thread safe.
 */
public final class GradientNormRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final double vanishingThreshold;
    private final double explodingThreshold;
    private final Streaks streaks;

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
        return findings;
    }

    @Override
    public List<Finding> onGradients(GradientSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
