package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@link Symptom#VANISHING_GRADIENT} read from the forward pass: a run of layers that each shrink the signal's root
 * mean square by more than {@link #GAIN} (at least {@link #MIN_RUN} in a row, in the snapshot's forward order). A
 * layer's gain on the forward signal is its weights' scale times the activation's slope; backpropagation multiplies
 * the error signal by the same transposed weights and slope, so the gradient that reaches the layers below shrinks by
 * the same factors (Glorot and Bengio 2010). Initialisations built for the layer's fan-in keep the gain near 1;
 * weights too small for the width, or an activation whose outputs are tiny, make it 10x or more per layer.
 * A softmax renormalises (its outputs sum to 1) and ends a run, as does a BatchNormalization (its output has unit
 * scale again); layers that are all zero are left to the dead-unit rule. Reported once per run, on
 * {@code collapsePatience} consecutive checks. Not thread safe.
 */
public final class SignalDecayRule implements Rule {

    private static final long serialVersionUID = 1L;

    /** A layer whose output RMS is below this share of its input's shrinks the signal. */
    public static final double GAIN = 0.1;
    /** Consecutive shrinking layers that make a vanishing signal (one may be a bottleneck by design). */
    public static final int MIN_RUN = 2;

    private final Streaks streaks;

    /**
     * @param config the thresholds (its {@code collapsePatience} is the patience)
     */
    public SignalDecayRule(RuleConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        this.streaks = new Streaks(config.collapsePatience());
    }

    /**
     * @param snapshot the newest activation snapshot
     * @return a finding when the decay held for the patience
     */
    public List<Finding> evaluate(ActivationSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>();
        List<ActivationStats> run = longestShrinkingRun(snapshot.layers());
        OptionalLong streak = streaks.record("decay", run.size() > MIN_RUN, snapshot.iteration());
        if (streak.isPresent()) {
            ActivationStats top = run.get(0);
            ActivationStats bottom = run.get(run.size() - 1);
            StringBuilder gains = new StringBuilder();
            for (int i = 1; i < run.size(); i++) {
                gains.append(i > 1 ? ", " : "").append(String.format(Locale.ROOT, "%s x%.2g", run.get(i).layer(),
                        rms(run.get(i)) / rms(run.get(i - 1))));
            }
            double overall = rms(bottom) / rms(top);
            findings.add(Finding.builder(Symptom.VANISHING_GRADIENT, Severity.WARN, String.format(Locale.ROOT,
                            "the signal shrinks layer after layer (%s): its RMS falls from %.3g at %s to %.3g at %s "
                                    + "(x%.2g); backpropagation shrinks the gradient to the layers below by the "
                                    + "same factors", gains, rms(top), top.layer(), rms(bottom), bottom.layer(),
                            overall))
                    .layer(run.get(1).layer()).firstIteration(streak.getAsLong())
                    .evidence("gain", Math.pow(overall, 1.0 / (run.size() - 1))).evidence("overallGain", overall)
                    .evidence("layers", run.size() - 1).evidence("threshold", GAIN)
                    .evidence("epoch", snapshot.epoch())
                    .suggest("a weight init built for the fan-in: .weightInit(WeightInit.XAVIER) (tanh, sigmoid) or "
                                    + "WeightInit.RELU (ReLU) instead of a fixed small distribution",
                            "BatchNormalization between the layers keeps the signal's scale")
                    .build());
        }
        return findings;
    }

    /** @return the longest run of consecutive layers each below {@link #GAIN} of the one before, with its start */
    private static List<ActivationStats> longestShrinkingRun(List<ActivationStats> layers) {
        List<ActivationStats> best = List.of();
        List<ActivationStats> current = new ArrayList<>();
        ActivationStats previous = null;
        for (ActivationStats a : layers) {
            boolean judged = a.nonFinite() == 0 && a.zeroFraction() < 1.0 && rms(a) > 0 && !normalising(a);
            if (!judged) {
                previous = null;
                current = new ArrayList<>();
                continue;
            }
            if (previous != null && rms(a) < GAIN * rms(previous)) {
                if (current.isEmpty()) {
                    current.add(previous);
                }
                current.add(a);
                if (current.size() > best.size()) {
                    best = List.copyOf(current);
                }
            } else {
                current = new ArrayList<>();
            }
            previous = a;
        }
        return best;
    }

    private static boolean normalising(ActivationStats a) {
        String act = a.activation().toLowerCase(Locale.ROOT);
        return act.contains("softmax");
    }

    private static double rms(ActivationStats a) {
        return Math.sqrt(a.mean() * a.mean() + a.std() * a.std());
    }

    @Override
    public List<Finding> onActivations(ActivationSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
