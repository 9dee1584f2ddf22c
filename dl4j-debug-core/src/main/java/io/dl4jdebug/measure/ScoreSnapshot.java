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
 * @param worker    the DL4J ParallelWrapper worker that measured it ({@code worker-<n>} for ParallelWrapper's
 *                  training thread n, see {@code io.dl4jdebug.listener.Workers}), empty outside ParallelWrapper; null (an old stored record) reads as empty
 */
public record ScoreSnapshot(long iteration, int epoch, double score, boolean regularizationMeasured,
                            double regularization, String worker) implements Serializable, WorkerScoped {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public ScoreSnapshot {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        if (!regularizationMeasured && regularization != 0) {
            throw new IllegalArgumentException("regularization must be 0 when not measured but was " + regularization);
        }
        worker = worker == null ? "" : worker;
    }

    /**
     * A snapshot outside ParallelWrapper (no worker).
     *
     * @param iteration              the iteration
     * @param epoch                  the epoch
     * @param score                  the minibatch loss
     * @param regularizationMeasured whether regularization was measured
     * @param regularization         the regularization part, 0 when not measured
     */
    public ScoreSnapshot(long iteration, int epoch, double score, boolean regularizationMeasured,
                         double regularization) {
        this(iteration, epoch, score, regularizationMeasured, regularization, "");
    }

    /**
     * @param worker the ParallelWrapper worker (empty for none)
     * @return this snapshot, measured by that worker
     */
    public ScoreSnapshot withWorker(String worker) {
        return new ScoreSnapshot(iteration, epoch, score, regularizationMeasured, regularization, worker);
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
