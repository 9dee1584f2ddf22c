package io.dl4jdebug.diagnose;

/** The verdicts of the method's fitting diagnosis (article section 4.3, {@code diagnose_fitting}). */
public enum FittingStatus {
    /** Training loss still high after many epochs: add capacity or train longer. */
    UNDERFITTING,
    /** Validation loss well above training loss: add regularization or data. */
    OVERFITTING,
    /** Small gap and low training loss: training converged normally. */
    CONVERGED,
    /** None of the above yet: keep watching. */
    KEEP_WATCHING,
    /**
     * The training loss never went below its initial value, or is back at it: the run is not learning, so no fitting
     * verdict applies (see the diagnosis' incidents for the cause).
     */
    NOT_LEARNING
}
