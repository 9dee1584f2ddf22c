package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.List;

/**
 * Statistics of every monitored layer output of one forward pass, in topological order.
 *
 * @param iteration the iteration (0-based)
 * @param epoch     the epoch (0-based)
 * @param layers    one entry per layer or vertex output
 * @param worker    the DL4J ParallelWrapper worker that measured it ({@code worker-<n>} for ParallelWrapper's
 *                  training thread n, see {@code io.dl4jdebug.listener.Workers}), empty outside ParallelWrapper; null (an old stored record) reads as empty
 */
public record ActivationSnapshot(long iteration, int epoch, List<ActivationStats> layers, String worker) implements Serializable, WorkerScoped {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the list. */
    public ActivationSnapshot {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        layers = List.copyOf(layers);
        worker = worker == null ? "" : worker;
    }

    /**
     * A snapshot outside ParallelWrapper (no worker).
     *
     * @param iteration the iteration
     * @param epoch     the epoch
     * @param layers    one entry per layer or vertex output
     */
    public ActivationSnapshot(long iteration, int epoch, List<ActivationStats> layers) {
        this(iteration, epoch, layers, "");
    }

    /**
     * @param worker the ParallelWrapper worker (empty for none)
     * @return this snapshot, measured by that worker
     */
    public ActivationSnapshot withWorker(String worker) {
        return new ActivationSnapshot(iteration, epoch, layers, worker);
    }

}
