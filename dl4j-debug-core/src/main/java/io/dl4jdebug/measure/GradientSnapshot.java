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
 * @param worker    the DL4J ParallelWrapper worker that measured it ({@code worker-<n>} for ParallelWrapper's
 *                  training thread n, see {@code io.dl4jdebug.listener.Workers}), empty outside ParallelWrapper; null (an old stored record) reads as empty
 */
public record GradientSnapshot(long iteration, int epoch, int minibatchSize, List<ParameterStats> parameters,
                               String worker)
        implements Serializable, WorkerScoped {

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
        worker = worker == null ? "" : worker;
    }

    /**
     * A snapshot outside ParallelWrapper (no worker).
     *
     * @param iteration     the iteration
     * @param epoch         the epoch
     * @param minibatchSize examples in the minibatch
     * @param parameters    one entry per trainable parameter
     */
    public GradientSnapshot(long iteration, int epoch, int minibatchSize, List<ParameterStats> parameters) {
        this(iteration, epoch, minibatchSize, parameters, "");
    }

    /**
     * @param worker the ParallelWrapper worker (empty for none)
     * @return this snapshot, measured by that worker
     */
    public GradientSnapshot withWorker(String worker) {
        return new GradientSnapshot(iteration, epoch, minibatchSize, parameters, worker);
    }

}
