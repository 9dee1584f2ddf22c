package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.List;

/**
 * What the layer wrappers measured in one training pass: each wrapped layer's output (forward, in the order the
 * layers ran) and the activation gradients around it (backward, in the order of the backward pass, i.e. reversed).
 * Unlike the listeners' snapshots it includes the gradients flowing <em>between</em> layers.
 *
 * @param iteration the iteration (0-based)
 * @param epoch     the epoch (0-based)
 * @param forward   output statistics of each wrapped layer
 * @param backward  activation-gradient statistics of each wrapped layer (empty for a pass without backprop)
 */
public record LayerProbeSnapshot(long iteration, int epoch, List<ActivationStats> forward,
                                 List<BackwardStats> backward) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the lists. */
    public LayerProbeSnapshot {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        forward = List.copyOf(forward);
        backward = List.copyOf(backward);
    }
}
