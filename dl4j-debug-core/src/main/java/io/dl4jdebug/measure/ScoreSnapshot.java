package io.dl4jdebug.measure;

import java.io.Serializable;

/**
 * The loss DL4J reported for one training iteration.
 *
 * @param iteration              the iteration (0-based, as DL4J counts it)
 * @param epoch                  the epoch (0-based)
 * @param score                  {@code model.score()}: the minibatch loss in training mode, regularization terms
 *                               included (may be NaN or infinite when training broke; the non-finite detector reports
 *                               that)
 * @param regularizationMeasured whether {@code regularization} was measured at this iteration (it is measured on the
 *                               loss monitor's schedule only)
 * @param regularization         the L1/L2/weight-decay part of {@code score}, {@code 0} when not measured
 */
public record ScoreSnapshot(long iteration, int epoch, double score, boolean regularizationMeasured,
                            double regularization) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public ScoreSnapshot {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        if (!regularizationMeasured && regularization != 0) {
            throw new IllegalArgumentException("regularization must be 0 when not measured but was " + regularization);
        }
    }

    /**
     * @param iteration the iteration
     * @param epoch     the epoch
     * @param score     the minibatch loss
     * @return a snapshot without a regularization measurement
     */
    public static ScoreSnapshot of(long iteration, int epoch, double score) {
        return new ScoreSnapshot(iteration, epoch, score, false, 0);
    }

    /**
     * @param iteration      the iteration
     * @param epoch          the epoch
     * @param score          the minibatch loss, regularization included
     * @param regularization the regularization part of it
     * @return a snapshot with a regularization measurement
     */
    public static ScoreSnapshot withRegularization(long iteration, int epoch, double score, double regularization) {
        return new ScoreSnapshot(iteration, epoch, score, true, regularization);
    }
}
