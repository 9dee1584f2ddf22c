package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of trying a {@link Remedy} on a copy of the network: the same short budget, data and seed, once with
 * the original configuration (baseline) and once with the remedy; the losses are inference-mode losses on the
 * verification data before and after, so that NaN, BatchNorm statistics and dropout are judged as the user sees
 * them.
 *
 * @param remedy         the change tried
 * @param confirmed      true when the remedy removed the incident's symptoms and lowered the loss
 * @param iterations     training iterations of each copy
 * @param baselineBefore loss of the unchanged copy before training
 * @param baselineAfter  loss of the unchanged copy after the budget (may be NaN or infinite)
 * @param fixedBefore    loss of the changed copy before training
 * @param fixedAfter     loss of the changed copy after the budget (may be NaN or infinite)
 * @param gone           symptoms of the incident the baseline copy showed and the changed copy did not
 * @param left           symptoms of the incident the changed copy still showed
 * @param seconds        wall time of the trial (both copies)
 */
public record Verification(Remedy remedy, boolean confirmed, int iterations, double baselineBefore,
                           double baselineAfter, double fixedBefore, double fixedAfter, List<Symptom> gone,
                           List<Symptom> left, double seconds) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the lists. */
    public Verification {
        Objects.requireNonNull(remedy, "remedy");
        gone = List.copyOf(gone);
        left = List.copyOf(left);
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0 but was " + iterations);
        }
    }

    /**
     * @return one line, e.g. "verified on a copy: with the fix the loss goes 2.303 -> 0.94 in 60 iterations
     *         (unchanged copy: 2.303 -> 2.303); gone: GRADIENT_MISSING"
     */
    public String summary() {
        String word = confirmed ? "verified" : "not confirmed";
        String s = String.format(Locale.ROOT, "%s on a copy: with the fix the loss goes %s -> %s in %d iterations "
                        + "(unchanged copy: %s -> %s)", word, n(fixedBefore), n(fixedAfter), iterations,
                n(baselineBefore), n(baselineAfter));
        if (!gone.isEmpty()) {
            s += "; gone: " + join(gone);
        }
        if (!left.isEmpty()) {
            s += "; still there: " + join(left);
        }
        return s;
    }

    private static String join(List<Symptom> symptoms) {
        return String.join(", ", symptoms.stream().map(Symptom::name).toList());
    }

    private static String n(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : String.valueOf(v);
    }
}
