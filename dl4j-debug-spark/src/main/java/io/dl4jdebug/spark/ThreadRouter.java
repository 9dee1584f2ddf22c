package io.dl4jdebug.spark;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final AtomicBoolean dropWarned = new AtomicBoolean();

    /**
     * Runs a body with the given router as this thread's.
     *
     * @param router the task's router
     * @param body   what to run
     */
    void with(StatsStorageRouter router, Runnable body) {
        Objects.requireNonNull(router, "router must not be null");
        StatsStorageRouter previous = current.get();
        current.set(router);
        try {
            body.run();
        } finally {
            if (previous == null) {
                current.remove();
            } else {
                current.set(previous);
            }
        }
    }

    private StatsStorageRouter target() {
        StatsStorageRouter r = current.get();
        if (r == null && dropWarned.compareAndSet(false, true)) {
            LOG.warn("A dl4j-debug record was made outside a Spark task's callback (thread {}): dropped, as later "
                    + "ones will be without a warning", Thread.currentThread().getName());
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
