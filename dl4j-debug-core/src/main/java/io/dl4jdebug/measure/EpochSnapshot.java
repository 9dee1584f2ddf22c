package io.dl4jdebug.measure;

import java.io.Serializable;

/**
 * Training and validation loss at the end of one epoch, the inputs of the method's fitting diagnosis. Both losses are
 * data losses: DL4J's regularization terms are subtracted, so that they compare like the article's
 * {@code train_loss} and {@code val_loss}.
 *
 * @param epoch              the epoch that ended (0-based)
 * @param iteration          the last iteration of that epoch
 * @param trainLoss          mean training loss of the epoch (mean minibatch score, or the loss on a training
 *                           evaluation set when one was given)
 * @param validationMeasured whether a validation loss was measured
 * @param validationLoss     the validation loss (inference mode), {@code 0} when not measured
 * @param worker    the DL4J ParallelWrapper worker that measured it ({@code worker-<n>} for ParallelWrapper's
 *                  training thread n, see {@code io.dl4jdebug.listener.Workers}), empty outside ParallelWrapper; null (an old stored record) reads as empty
 */
public record EpochSnapshot(int epoch, long iteration, double trainLoss, boolean validationMeasured,
                            double validationLoss, String worker) implements Serializable, WorkerScoped {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public EpochSnapshot {
        if (epoch < 0 || iteration < 0) {
            throw new IllegalArgumentException("epoch and iteration must be >= 0 but were " + epoch + ", " + iteration);
        }
        if (!validationMeasured && validationLoss != 0) {
            throw new IllegalArgumentException("validationLoss must be 0 when not measured but was " + validationLoss);
        }
        worker = worker == null ? "" : worker;
    }

    /**
     * A snapshot outside ParallelWrapper (no worker).
     *
     * @param epoch              the epoch
     * @param iteration          its last iteration
     * @param trainLoss          the training loss
     * @param validationMeasured whether a validation loss was measured
     * @param validationLoss     the validation loss, 0 when not measured
     */
    public EpochSnapshot(int epoch, long iteration, double trainLoss, boolean validationMeasured,
                         double validationLoss) {
        this(epoch, iteration, trainLoss, validationMeasured, validationLoss, "");
    }

    /**
     * @param worker the ParallelWrapper worker (empty for none)
     * @return this snapshot, measured by that worker
     */
    public EpochSnapshot withWorker(String worker) {
        return new EpochSnapshot(epoch, iteration, trainLoss, validationMeasured, validationLoss, worker);
    }


    /**
     * @param epoch          the epoch
     * @param iteration      its last iteration
     * @param trainLoss      the training loss
     * @param validationLoss the validation loss
     * @return a snapshot with both losses
     */
    public static EpochSnapshot of(int epoch, long iteration, double trainLoss, double validationLoss) {
        return new EpochSnapshot(epoch, iteration, trainLoss, true, validationLoss);
    }

    /**
     * @param epoch     the epoch
     * @param iteration its last iteration
     * @param trainLoss the training loss
     * @return a snapshot without validation
     */
    public static EpochSnapshot trainOnly(int epoch, long iteration, double trainLoss) {
        return new EpochSnapshot(epoch, iteration, trainLoss, false, 0);
    }

    /** @return validation minus training loss (the article's gap); 0 without validation */
    public double gap() {
        return validationMeasured ? validationLoss - trainLoss : 0;
    }
}
