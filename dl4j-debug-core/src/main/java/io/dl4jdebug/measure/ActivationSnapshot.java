package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.List;

/**
 * Statistics of every monitored layer output of one forward pass, in topological order.
 *
 * @param iteration the iteration (0-based)
 * @param epoch     the epoch (0-based)
 * @param layers    one entry per layer or vertex output
 */
public record ActivationSnapshot(long iteration, int epoch, List<ActivationStats> layers) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the list. */
    public ActivationSnapshot {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        layers = List.copyOf(layers);
    }
}
