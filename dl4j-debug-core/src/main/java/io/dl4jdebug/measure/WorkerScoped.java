package io.dl4jdebug.measure;

import java.util.Optional;

/**
 * A record made by one DL4J ParallelWrapper worker ({@code worker-<n>}), or outside ParallelWrapper (the empty
 * worker): snapshots, non-finite events and findings.
 */
public interface WorkerScoped {

    /** @return the worker that made this, {@code ""} outside ParallelWrapper */
    String worker();

    /** @return the worker that made this, empty outside ParallelWrapper */
    default Optional<String> workerId() {
        return worker().isEmpty() ? Optional.empty() : Optional.of(worker());
    }
}
