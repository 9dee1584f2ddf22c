package io.dl4jdebug.check;

/** How a {@link TrainingCheck} trains: on the whole data, on a few fixed minibatches, or one pass for wiring. */
public enum CheckMode {
    /** Trains the requested iterations on the data, starting over when it runs out (if it can reset). */
    TRAIN,
    /** Trains repeatedly on the first n minibatches and requires the loss to fall (Lightning's overfit_batches). */
    OVERFIT_BATCHES,
    /**
     * Fits a few minibatches once each and runs the network's output on the first (Lightning's fast_dev_run):
     * catches wiring errors (shapes, label and output mismatches) in seconds.
     */
    FAST_DEV_RUN
}
