package io.dl4jdebug.spark;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

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
 * there (InMemoryStatsStorage is not Serializable). Thread safe when the user's router is.
 */
final class CollectingRouter implements StatsStorageRouter, Serializable {

    private static final long serialVersionUID = 1L;

    private final StatsStorageRouter target;
    private final transient DriverRecords records;

    /**
     * @param target  the user's router (ParameterAveragingTrainingMaster keeps it on the driver; SharedTrainingMaster
     *                ships it, so it must then be Serializable, like RemoteUIStatsStorageRouter)
     * @param records reads dl4j-debug's records on the driver
     */
    CollectingRouter(StatsStorageRouter target, DriverRecords records) {
        this.target = Objects.requireNonNull(target, "router must not be null: pass a StatsStorage "
                + "(InMemoryStatsStorage, FileStatsStorage) or a RemoteUIStatsStorageRouter");
        this.records = records;
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
        target.putStorageMetaData(storageMetaData);
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        target.putStorageMetaData(storageMetaData);
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        target.putStaticInfo(staticInfo);
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        target.putStaticInfo(staticInfo);
    }

    @Override
    public void putUpdate(Persistable update) {
        target.putUpdate(update);
        if (records != null) {
            records.accept(List.of(update));
        }
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        target.putUpdate(updates);
        if (records != null) {
            records.accept(updates);
            // ParameterAveragingTrainingMaster writes each averaging round's records in one call, after it set the
            // round's averaged score
            records.roundEnded();
        }
    }
}
