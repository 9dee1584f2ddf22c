package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.List;

/**
 * Per-parameter gradient, update and parameter statistics of one iteration, trainable parameters only, in
 * topological order.
 *
 * @param iteration     the iteration (0-based, as DL4J counts it)
 * @param epoch         the epoch (0-based)
 * @param minibatchSize examples in the minibatch the gradient came from
 * @param parameters    one entry per trainable parameter
 */
public record GradientSnapshot(long iteration, int epoch, int minibatchSize, List<ParameterStats> parameters)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the list. */
    public GradientSnapshot {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        if (minibatchSize < 1) {
            throw new IllegalArgumentException("minibatchSize must be >= 1 but was " + minibatchSize);
        }
        parameters = List.copyOf(parameters);
    }
}
