package io.dl4jdebug.listener;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.NonFiniteFindings;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.publish.SinkGroup;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds the first non-finite event of a run and applies the {@link NanPolicy} to it: reports it once to the sinks
 * (the event and its finding), then throws ({@code THROW}), raises the stop flag that guarded iterators obey
 * ({@code STOP}) or does nothing more ({@code LOG}). Shared by the {@link NonFiniteDetector} and the layer wrappers'
 * probe session.
 *
 * <p>{@code STOP} can end {@code fit} only through an iterator wrapped by {@link #guard(DataSetIterator)}: when the
 * first event arrives under {@code STOP} and no guarded iterator has been asked for data yet, training would go on
 * silently, so the latch logs one WARN line naming the fix ({@code suite.guard(iterator)},
 * {@code detector.guard(iterator)}, {@code session.guard(iterator)}), once per latch. Thread safe.
 */
public final class NonFiniteLatch implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(NonFiniteLatch.class);

    private final NanPolicy policy;
    private volatile NonFiniteEvent first;
    private volatile boolean stopRequested;
    private volatile boolean guardRead;
    private volatile boolean warnedUnguarded;

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
            case STOP -> {
                stopRequested = true;
                warnIfUnguarded(event);
            }
            default -> {
            }
        }
    }

    private void warnIfUnguarded(NonFiniteEvent event) {
        if (guardRead || warnedUnguarded) {
            return;
        }
        warnedUnguarded = true;
        LOG.warn("NaN policy STOP asked training to end at iteration {}, but no iterator wrapped by guard(...) has "
                + "been read, so fit(...) goes on; fix: train on suite.guard(iterator) or detector.guard(iterator) "
                + "(session.guard(iterator) for the layer wrappers), check stopRequested() in a loop over "
                + "fit(DataSet), or use NanPolicy.THROW", event.iteration());
    }

    /** Called by guarded iterators each time {@code fit} asks them for data. */
    private boolean stopRequestedByGuard() {
        guardRead = true;
        return stopRequested;
    }

    /**
     * @param iterator a training iterator
     * @return it, wrapped so that policy STOP ends {@code fit} cleanly after the iteration that found the value
     */
    public DataSetIterator guard(DataSetIterator iterator) {
        return new StoppableDataSetIterator(iterator, this::stopRequestedByGuard);
    }

    /**
     * @param iterator a training iterator of a ComputationGraph
     * @return it, wrapped so that policy STOP ends {@code fit} cleanly after the iteration that found the value
     */
    public MultiDataSetIterator guard(MultiDataSetIterator iterator) {
        return new StoppableMultiDataSetIterator(iterator, this::stopRequestedByGuard);
    }
}
