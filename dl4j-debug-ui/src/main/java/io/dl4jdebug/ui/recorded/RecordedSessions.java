package io.dl4jdebug.ui.recorded;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.ui.StatsStorageSink;
import io.dl4jdebug.ui.storage.LossPoint;
import io.dl4jdebug.ui.storage.RecordKind;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For the Debug page: the dl4j-debug records of a session that only DL4J's {@code StatsListener} recorded, derived
 * from its statistics ({@link RecordedDiagnosis}) into an in-memory storage under the same session and worker IDs:
 * the diagnosis, its findings, the estimated gradient norms and update ratios, and the training loss. The source
 * storage is only read. A derivation is kept until the session's StatsListener records change (a live run), then
 * made again. Thread safe.
 */
public final class RecordedSessions {

    private static final Logger LOG = LoggerFactory.getLogger(RecordedSessions.class);

    private final Map<Key, Derived> cache = new ConcurrentHashMap<>();
    private final Set<Key> warned = ConcurrentHashMap.newKeySet();

    /** One session of one storage; storages compare by identity. */
    private record Key(StatsStorage storage, String sessionId) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.storage == storage && k.sessionId.equals(sessionId);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(storage) * 31 + sessionId.hashCode();
        }
    }

    /**
     * A session's derived records.
     *
     * @param storage   the in-memory storage holding them
     * @param diagnosis the diagnosis they show
     * @param updates   the count of StatsListener updates they were derived from
     */
    public record Derived(StatsStorage storage, RecordedDiagnosis diagnosis, int updates) {
    }

    /** Creates an empty cache. */
    public RecordedSessions() {
    }

    /**
     * @param source    an attached storage
     * @param sessionId one of its sessions
     * @return the derived records when the session holds StatsListener records and no dl4j-debug records; empty
     *         otherwise, or when its recording cannot be read (logged once)
     */
    public Optional<Derived> derived(StatsStorage source, String sessionId) {
        List<String> types = source.listTypeIDsForSession(sessionId);
        if (!types.contains(StatsListener.TYPE_ID)) {
            return Optional.empty();
        }
        for (RecordKind kind : RecordKind.values()) {
            if (types.contains(kind.typeId())) {
                return Optional.empty(); // dl4j-debug was attached: its own records are shown
            }
        }
        Key key = new Key(source, sessionId);
        int updates = 0;
        for (String w : source.listWorkerIDsForSessionAndType(sessionId, StatsListener.TYPE_ID)) {
            updates += source.getNumUpdateRecordsFor(sessionId, StatsListener.TYPE_ID, w);
        }
        if (updates == 0) {
            return Optional.empty();
        }
        Derived d = cache.get(key);
        if (d != null && d.updates() == updates) {
            return Optional.of(d);
        }
        try {
            RecordedDiagnosis diagnosis = RecordedDiagnosis.of(source, "session " + sessionId, sessionId);
            Derived fresh = new Derived(records(diagnosis), diagnosis, updates);
            cache.put(key, fresh);
            return Optional.of(fresh);
        } catch (RuntimeException e) { // RecordedRunException, or a recording DL4J cannot decode
            if (warned.add(key)) {
                LOG.warn("dl4j-debug: cannot diagnose the StatsListener recording of session {}: {}", sessionId,
                        StatsFileReader.oneLine(e));
            }
            return Optional.empty();
        }
    }

    /**
     * @param source a storage detached from the UI
     */
    public void forget(StatsStorage source) {
        cache.keySet().removeIf(k -> k.storage() == source);
        warned.removeIf(k -> k.storage() == source);
    }

    /**
     * @param diagnosis a recorded run's diagnosis
     * @return a new in-memory storage holding it as dl4j-debug records, under the run's session and worker IDs
     */
    public static StatsStorage records(RecordedDiagnosis diagnosis) {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        RecordedRun run = diagnosis.run();
        StatsStorageSink sink = StatsStorageSink.builder(storage).sessionId(run.sessionId())
                .workerId(run.workerId()).build();
        for (RecordedReport r : run.reports()) {
            sink.onLoss(new LossPoint(r.iteration(), 0, LossPoint.Split.TRAIN, r.score()));
        }
        for (GradientSnapshot s : RecordedRules.snapshots(run)) {
            sink.onGradients(s);
        }
        for (Finding f : diagnosis.findings()) {
            sink.onFinding(f);
        }
        sink.onDiagnosis(diagnosis.diagnosis());
        return storage;
    }
}
