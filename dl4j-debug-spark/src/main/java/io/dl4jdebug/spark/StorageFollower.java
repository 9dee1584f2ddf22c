package io.dl4jdebug.spark;

import io.dl4jdebug.ui.storage.RecordKind;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the workers' dl4j-debug records of one session from a {@link StatsStorage} the driver can open, for training
 * masters whose records do not pass through the driver's router: with SharedTrainingMaster the executors post them
 * to a UI server's remote listener ({@code RemoteUIStatsStorageRouter}), which writes them into its storage. Each
 * {@link #poll()} hands the records newer than the last ones read (per kind and worker) to {@link DriverRecords}.
 * Thread safe.
 */
final class StorageFollower {

    private static final List<RecordKind> KINDS = List.of(RecordKind.FINDING, RecordKind.NON_FINITE, RecordKind.LOSS);

    private final StatsStorage storage;
    private final String sessionId;
    private final DriverRecords records;
    private final Map<String, Long> last = new HashMap<>();

    StorageFollower(StatsStorage storage, String sessionId, DriverRecords records) {
        this.storage = storage;
        this.sessionId = sessionId;
        this.records = records;
    }

    /**
     * Reads what arrived since the previous call, from every worker at once: the driver averages the losses of one
     * batch of records across workers, so handing it one worker at a time would give it each worker's curve in turn.
     */
    synchronized void poll() {
        List<Persistable> all = new ArrayList<>();
        for (RecordKind kind : KINDS) {
            List<String> workers = storage.listWorkerIDsForSessionAndType(sessionId, kind.typeId());
            if (workers == null) {
                continue;
            }
            for (String worker : workers) {
                if (SparkDebugSession.DRIVER_WORKER.equals(worker)) {
                    continue;
                }
                String key = kind.typeId() + '\n' + worker;
                List<Persistable> fresh = storage.getAllUpdatesAfter(sessionId, kind.typeId(), worker,
                        last.getOrDefault(key, Long.MIN_VALUE));
                if (fresh.isEmpty()) {
                    continue;
                }
                long newest = last.getOrDefault(key, Long.MIN_VALUE);
                for (Persistable p : fresh) {
                    newest = Math.max(newest, p.getTimeStamp());
                }
                last.put(key, newest);
                all.addAll(fresh);
            }
        }
        if (!all.isEmpty()) {
            records.accept(all);
        }
    }
}
