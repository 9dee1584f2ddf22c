package io.dl4jdebug.spark;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

import io.dl4jdebug.publish.FailureTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The router dl4j-debug hands to DL4J's Spark training in place of the user's: it passes every record on to the
 * user's router unchanged and, on the driver, lets {@link DriverRecords} read dl4j-debug's records on the way (so the
 * driver can merge the workers' findings with any router, also one it cannot read back, such as a
 * {@code RemoteUIStatsStorageRouter}). Serializable for SharedTrainingMaster, which ships the router to the executors
 * (where it only passes records on); ParameterAveragingTrainingMaster keeps it on the driver, so any router works
 * there (InMemoryStatsStorage is not Serializable). A router that throws is logged and counted, never thrown into
 * DL4J's call (training goes on). Thread safe when the user's router is.
 */
final class CollectingRouter implements StatsStorageRouter, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CollectingRouter.class);

    private final StatsStorageRouter target;
    private final transient DriverRecords records;
    /** The driver's count of the user's router's failures; null after deserialization (executors only log). */
    private final transient FailureTally failures;

    /**
     * @param target  the user's router (ParameterAveragingTrainingMaster keeps it on the driver; SharedTrainingMaster
     *                ships it, so it must then be Serializable, like RemoteUIStatsStorageRouter)
     * @param records reads dl4j-debug's records on the driver
     * @param failures counts the user's router's failures on the driver
     */
    CollectingRouter(StatsStorageRouter target, DriverRecords records, FailureTally failures) {
        this.target = Objects.requireNonNull(target, "router must not be null: pass a StatsStorage "
                + "(InMemoryStatsStorage, FileStatsStorage) or a RemoteUIStatsStorageRouter");
        this.records = records;
        this.failures = failures;
    }

    /** @return the name under which the user's router's failures are counted */
    String failureName() {
        return "router " + target.getClass().getSimpleName();
    }

    /**
     * Passes a record on to the user's router; a router that throws is logged (its first failure at WARN, the later
     * ones at DEBUG) and counted, never thrown into DL4J's driver-side call, so training goes on and the driver still
     * reads the records.
     */
    private void pass(String where, Runnable put) {
        try {
            put.run();
        } catch (RuntimeException e) {
            boolean first = failures == null || failures.record(failureName(), where, e);
            if (first) {
                LOG.warn("dl4j-debug: the router {} failed in {} ({}); training goes on, its records are lost, later "
                        + "failures are counted in the run's report", target.getClass().getName(), where,
                        e.toString());
            } else {
                LOG.debug("the router failed again in {}", where, e);
            }
        }
    }

    /**
     * After deserialization on an executor: works around a race in DL4J's {@code RemoteUIStatsStorageRouter}
     * (deeplearning4j-core 1.0.0-M2.1): its transient queue comes back null, and its first put starts the posting
     * thread before it recreates the queue ({@code checkThread()}), so the thread can die on
     * {@code NullPointerException} at {@code queue.take()} and every later record is dropped ("router is shut down";
     * seen in SharedTrainingMasterTest). The queue is recreated here, before any put.
     */
    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (target instanceof org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter) {
            try {
                java.lang.reflect.Field queue = target.getClass().getDeclaredField("queue");
                queue.setAccessible(true);
                if (queue.get(target) == null) {
                    queue.set(target, new java.util.concurrent.LinkedBlockingDeque<>());
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(CollectingRouter.class).warn("Could not prepare the deserialized "
                        + "RemoteUIStatsStorageRouter's queue ({}); its posting thread may fail on its first record",
                        e.toString());
            }
        }
    }

    @Override
    public void putStorageMetaData(StorageMetaData storageMetaData) {
        pass("putStorageMetaData", () -> target.putStorageMetaData(storageMetaData));
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        pass("putStorageMetaData", () -> target.putStorageMetaData(storageMetaData));
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        pass("putStaticInfo", () -> target.putStaticInfo(staticInfo));
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        pass("putStaticInfo", () -> target.putStaticInfo(staticInfo));
    }

    @Override
    public void putUpdate(Persistable update) {
        pass("putUpdate", () -> target.putUpdate(update));
        if (records != null) {
            records.accept(List.of(update));
        }
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        pass("putUpdate", () -> target.putUpdate(updates));
        if (records != null) {
            records.accept(updates);
            // ParameterAveragingTrainingMaster writes each averaging round's records in one call, after it set the
            // round's averaged score
            records.roundEnded();
        }
    }
}
