package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of trying a {@link Remedy} on a copy of the network: the same short budget and data, once with the
 * original configuration (the unchanged copy, trained at several seeds to measure its spread) and once with the
 * remedy. The verdict rests on a metric the remedy cannot fake ({@link HeldOut}: accuracy, or the original
 * objective's loss, on examples neither copy trained on, in inference mode) and on the incident's symptoms; the
 * training losses are kept to show what the copies did.
 *
 * @param remedy         the change tried, exactly as applied (its text is what was tried)
 * @param confirmed      true when the held-out metric improved by more than {@link HeldOut#required()} and no
 *                       symptom of the incident is left on the changed copy
 * @param iterations     training iterations of each copy
 * @param baselineBefore training-objective loss of the unchanged copy before training, on the held-out examples
 * @param baselineAfter  the same after the budget (may be NaN or infinite)
 * @param fixedBefore    the changed copy's own objective before training, on the held-out examples
 * @param fixedAfter     the same after the budget (may be NaN or infinite)
 * @param gone           symptoms of the incident the unchanged copy showed and the changed copy did not
 * @param left           symptoms of the incident the changed copy still showed
 * @param heldOut        the comparison on held-out examples that decided the verdict
 * @param seconds        wall time of the trial (the changed copy and the unchanged copies it was compared with)
 */
public record Verification(Remedy remedy, boolean confirmed, int iterations, double baselineBefore,
                           double baselineAfter, double fixedBefore, double fixedAfter, List<Symptom> gone,
                           List<Symptom> left, HeldOut heldOut, double seconds) implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Validates the fields and copies the lists. */
    public Verification {
        Objects.requireNonNull(remedy, "remedy");
        Objects.requireNonNull(heldOut, "heldOut");
        gone = List.copyOf(gone);
        left = List.copyOf(left);
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0 but was " + iterations);
        }
    }

    /** The metric both copies are compared on. */
    public enum Metric {
        /** Fraction of held-out examples (time steps) whose arg-max class is the label's; higher is better. */
        ACCURACY,
        /** The original output layer's loss on the held-out outputs, without regularization; lower is better. */
        LOSS;

        /** @return "accuracy" or "loss" */
        public String label() {
            return this == ACCURACY ? "accuracy" : "loss";
        }
    }

    /**
     * Both copies on one metric, on examples held back from training.
     *
     * @param metric   what is measured
     * @param examples how many held-out examples it was measured on
     * @param source   where the examples came from, e.g. "the last 4 of 20 minibatches, held back from training"
     * @param baseline the unchanged copy's value at each seed; the first is the same seed and minibatch order as the
     *                 changed copy (a copy that broke counts as accuracy 0 or loss +Infinity)
     * @param fixed    the changed copy's value
     * @param spread   the unchanged copy's spread across its seeds (max - min; +Infinity when some but not all seeds
     *                 broke)
     * @param margin   the documented minimum improvement (absolute, in the metric's unit)
     */
    public record HeldOut(Metric metric, int examples, String source, List<Double> baseline, double fixed,
                          double spread, double margin) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Validates the fields and copies the list. */
        public HeldOut {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(source, "source");
            baseline = List.copyOf(baseline);
            if (baseline.isEmpty()) {
                throw new IllegalArgumentException("baseline needs the value of at least one seed");
            }
            if (examples < 1) {
                throw new IllegalArgumentException("examples must be >= 1 but was " + examples);
            }
            if (!(margin >= 0)) {
                throw new IllegalArgumentException("margin must be >= 0 but was " + margin);
            }
        }

        /** @return the unchanged copy at the changed copy's seed and minibatch order */
        public double paired() {
            return baseline.get(0);
        }

        /** @return how much better the changed copy is than the unchanged one at the same seed (negative: worse) */
        public double improvement() {
            double d = metric == Metric.ACCURACY ? fixed - paired() : paired() - fixed;
            return Double.isNaN(d) ? Double.NEGATIVE_INFINITY : d;
        }

        /** @return the improvement a confirmation needs: the larger of the spread and the margin */
        public double required() {
            return Math.max(spread, margin);
        }

        /** @return true when the improvement is larger than {@link #required()} */
        public boolean improved() {
            return improvement() > required();
        }

        /** @return e.g. "held-out accuracy 0.41 -> 0.78 (+0.37; needed > 0.03: spread 0.03 over 3 seeds, margin 0.02)" */
        public String describe() {
            return String.format(Locale.ROOT, "held-out %s %s -> %s (%s; needed > %s: spread %s over %d seeds, "
                            + "margin %s; %d examples)", metric.label(), n(paired()), n(fixed), signed(improvement()),
                    n(required()), n(spread), baseline.size(), n(margin), examples);
        }
    }

    /**
     * @return one line, e.g. "verified on a copy: tried 'h0: .biasInit(0.0)'; held-out accuracy 0.41 -> 0.78 (+0.37;
     *         needed > 0.03: ...); in 40 iterations the loss goes 2.303 -> 0.94 (unchanged copy: 2.303 -> 1.9);
     *         gone: DEAD_UNITS"
     */
    public String summary() {
        String word = confirmed ? "verified" : "not confirmed";
        String s = String.format(Locale.ROOT, "%s on a copy: tried '%s'; %s; in %d iterations the loss goes %s -> %s "
                        + "(unchanged copy: %s -> %s)", word, remedy.text(), heldOut.describe(), iterations,
                n(fixedBefore), n(fixedAfter), n(baselineBefore), n(baselineAfter));
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

    private static String signed(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.3g", v) : (v > 0 ? "+" : "") + v;
    }

    private static String n(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : String.valueOf(v);
    }
}
