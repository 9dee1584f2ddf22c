package io.dl4jdebug.preflight;

import java.io.Serializable;

/**
 * How one network did on the minimal example.
 *
 * @param examples    examples it trained on
 * @param steps       training steps taken (fewer than the maximum when the target was reached early)
 * @param initialLoss the data loss (regularization excluded, inference mode) before training
 * @param finalLoss   the data loss after the last step
 * @param targetLoss  the loss it had to reach
 */
public record OverfitResult(int examples, int steps, double initialLoss, double finalLoss, double targetLoss)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the counts. */
    public OverfitResult {
        if (examples < 1) {
            throw new IllegalArgumentException("examples must be >= 1 but was " + examples);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0 but was " + steps);
        }
    }

    /** @return true when the final loss is finite and at or below the target */
    public boolean overfits() {
        return Double.isFinite(finalLoss) && finalLoss <= targetLoss;
    }
}
