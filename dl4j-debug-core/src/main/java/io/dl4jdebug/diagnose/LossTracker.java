package io.dl4jdebug.diagnose;

import java.io.Serializable;

/**
 * Follows the training loss, one score at a time, in constant memory, and summarises it as a {@link LossSummary}.
 * Not thread safe.
 */
public final class LossTracker implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int window;
    private final double[] ring;
    private int filled;
    private int next;
    private double sum;
    private long iterations;
    private long nonFinite;
    private double first = Double.NaN;
    private double best = Double.POSITIVE_INFINITY;
    private double last;

    /**
     * @param window scores per mean, at least 1
     */
    public LossTracker(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 but was " + window);
        }
        this.window = window;
        this.ring = new double[window];
    }

    /**
     * @param score one iteration's training loss (NaN and infinities are counted, not averaged)
     */
    public void add(double score) {
        iterations++;
        if (!Double.isFinite(score)) {
            nonFinite++;
            return;
        }
        if (filled == window) {
            sum -= ring[next];
        } else {
            filled++;
        }
        ring[next] = score;
        sum += score;
        next = (next + 1) % window;
        last = sum / filled;
        if (!firstFixed) {
            // the initial loss: the first score (the network as initialised), or the first window's mean when that
            // is lower (one noisy first minibatch); a blow-up in the first steps does not raise it
            first = filled == 1 ? score : Math.min(first, last);
            firstFixed = filled == window;
        }
        if (filled == window) {
            best = Math.min(best, last);
        }
    }

    private boolean firstFixed;

    /** @return the summary so far */
    public LossSummary summary() {
        if (filled == 0) {
            return new LossSummary(iterations, window, 0, 0, 0, nonFinite);
        }
        double b = Double.isInfinite(best) ? last : best;
        return new LossSummary(iterations, window, first, b, last, nonFinite);
    }
}
