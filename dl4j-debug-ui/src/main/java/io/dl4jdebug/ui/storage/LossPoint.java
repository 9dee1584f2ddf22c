package io.dl4jdebug.ui.storage;

import java.io.Serializable;
import java.util.Objects;

/**
 * One loss value of a run, training or validation, for the loss chart.
 *
 * @param iteration the iteration it was measured at (0-based)
 * @param epoch     the epoch (0-based)
 * @param split     which data the loss was computed on
 * @param value     the loss; may be NaN or infinite when training diverged (that is data, not "missing")
 */
public record LossPoint(long iteration, int epoch, Split split, double value) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public LossPoint {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        Objects.requireNonNull(split, "split must not be null; valid: TRAIN, VALIDATION");
    }

    /** The data a loss was computed on. */
    public enum Split {
        /** Training data. */
        TRAIN,
        /** Held-out validation data. */
        VALIDATION
    }
}
