package io.dl4jdebug.spark;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A router that passes each record to the router of the Spark task running on the current thread. An executor runs
 * several tasks at once, and DL4J gives each task (one worker of one averaging round) its own
 * {@code VanillaStatsStorageRouter}, whose records travel back to the driver with that task's result; one suite per
 * executor serves them all, so its sink routes by thread. Records made on a thread without a task's router are
 * counted and dropped (there is nowhere to send them). Thread safe.
 */
final class ThreadRouter implements StatsStorageRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadRouter.class);

    private final ThreadLocal<StatsStorageRouter> current = new ThreadLocal<>();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * Runs a body with the given router as this thread's.
     *
     * @param router the task's router
     * @param body   what to run
     * @param <T>    the body's result type
     * @return the body's result
     */
    <T> T with(StatsStorageRouter router, Supplier<T> body) {
        Objects.requireNonNull(router, "router must not be null");
        StatsStorageRouter previous = current.get();
        current.set(router);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                current.remove();
            } else {
                current.set(previous);
            }
        }
    }

    /** @return how many records found no task router on their thread */
    long dropped() {
        return dropped.get();
    }

    private StatsStorageRouter target() {
        StatsStorageRouter r = current.get();
        if (r == null && dropped.getAndIncrement() == 0) {
            LOG.warn("A dl4j-debug record was made outside a Spark task's callback (thread {}): dropped; later ones "
                    + "are counted only", Thread.currentThread().getName());
        }
        return r;
    }

    @Override
    public void putStorageMetaData(StorageMetaData storageMetaData) {
        StatsStorageRouter r = target();
        if (r != null) {
            r.putStorageMetaData(storageMetaData);
        }
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        StatsStorageRouter r = target();
        if (r != null) {
            r.putStorageMetaData(storageMetaData);
        }
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        StatsStorageRouter r = target();
        if (r != null) {
            r.putStaticInfo(staticInfo);
        }
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        StatsStorageRouter r = target();
        if (r != null) {
            r.putStaticInfo(staticInfo);
        }
    }

    @Override
    public void putUpdate(Persistable update) {
        StatsStorageRouter r = target();
        if (r != null) {
            r.putUpdate(update);
        }
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        StatsStorageRouter r = target();
        if (r != null) {
            r.putUpdate(updates);
        }
    }
}
