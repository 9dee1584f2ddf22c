package io.dl4jdebug.listener;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.NonFiniteFindings;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.publish.SinkGroup;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds the first non-finite event of a run and applies the {@link NanPolicy} to it: reports it once to the sinks
 * (the event and its finding), then throws ({@code THROW}), raises the stop flag that guarded iterators obey
 * ({@code STOP}) or does nothing more ({@code LOG}). Shared by the {@link NonFiniteDetector} and the layer wrappers'
 * probe session. Thread safe.
 */
public final class NonFiniteLatch implements Serializable {

    private static final long serialVersionUID = 1L;

    private final NanPolicy policy;
    private volatile NonFiniteEvent first;
    private volatile boolean stopRequested;

    /**
     * @param policy what to do at the first non-finite value
     */
    public NonFiniteLatch(NanPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy must not be null; valid: THROW, STOP, LOG");
    }

    /** @return true until the first event was reported */
    public boolean armed() {
        return first == null;
    }

    /** @return the first event, if any */
    public Optional<NonFiniteEvent> first() {
        return Optional.ofNullable(first);
    }

    /** @return true when policy STOP asked training to end */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Forgets the first event and a stop request, so the next event is reported again. */
    public void reset() {
        first = null;
        stopRequested = false;
    }

    /**
     * Reports an event if it is the first, then applies the policy.
     *
     * @param event where a non-finite value appeared
     * @param sinks where the event and its finding go
     * @throws NonFiniteException under policy THROW
     */
    public void report(NonFiniteEvent event, SinkGroup sinks) {
        synchronized (this) {
            if (first != null) {
                return;
            }
            first = event;
        }
        sinks.nonFinite(event);
        sinks.finding(NonFiniteFindings.of(event));
        switch (policy) {
            case THROW -> throw new NonFiniteException(event);
            case STOP -> stopRequested = true;
            default -> {
            }
        }
    }

    /**
     * @param iterator a training iterator
     * @return it, wrapped so that policy STOP ends {@code fit} cleanly after the iteration that found the value
     */
    public DataSetIterator guard(DataSetIterator iterator) {
        return new StoppableDataSetIterator(iterator, this::stopRequested);
    }

    /**
     * @param iterator a training iterator of a ComputationGraph
     * @return it, wrapped so that policy STOP ends {@code fit} cleanly after the iteration that found the value
     */
    public MultiDataSetIterator guard(MultiDataSetIterator iterator) {
        return new StoppableMultiDataSetIterator(iterator, this::stopRequested);
    }
}
