package io.dl4jdebug.diagnose;

import java.io.Serializable;

/**
 * The training loss curve in four numbers, enough to tell a run that learned from one that never did: the initial
 * loss (the first finite score, or the mean of the first {@code window} finite scores when lower), the lowest and the
 * newest mean of {@code window} consecutive scores, and the count of iterations seen (non-finite scores included).
 *
 * @param iterations iterations seen
 * @param window     scores per mean
 * @param first      the initial loss: the first finite score, or the mean of the first window when lower (0 when
 *                   no finite score was seen)
 * @param best       lowest window mean
 * @param last       newest window mean
 * @param nonFinite  iterations whose score was NaN or infinite
 * @param epochs     epochs completed (0 when none was seen or the caller does not know)
 */
public record LossSummary(long iterations, int window, double first, double best, double last, long nonFinite,
                          int epochs) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Share of the first loss the best loss must be below to count as learning. */
    public static final double LEARNED_MARGIN = 0.05;

    /**
     * A summary that does not know the epochs.
     *
     * @param iterations iterations seen
     * @param window     scores per mean
     * @param first      the initial loss
     * @param best       lowest window mean
     * @param last       newest window mean
     * @param nonFinite  iterations whose score was NaN or infinite
     */
    public LossSummary(long iterations, int window, double first, double best, double last, long nonFinite) {
        this(iterations, window, first, best, last, nonFinite, 0);
    }

    /**
     * @param completed epochs completed
     * @return this summary with that epoch count
     */
    public LossSummary withEpochs(int completed) {
        return new LossSummary(iterations, window, first, best, last, nonFinite, completed);
    }

    /** @return an empty summary (no iteration seen) */
    public static LossSummary none() {
        return new LossSummary(0, 1, 0, 0, 0, 0);
    }

    /** @return true when some finite scores were seen */
    public boolean measured() {
        return iterations > nonFinite && iterations > 0;
    }

    /**
     * @return true when the loss went clearly below its initial value at some point ({@link #LEARNED_MARGIN}); false
     *         when it never did (or nothing was measured)
     */
    public boolean learned() {
        return measured() && best < first * (1 - LEARNED_MARGIN);
    }
}
