package io.dl4jdebug.ui;

import io.dl4jdebug.ui.storage.DebugRecord;
import io.dl4jdebug.ui.storage.RecordKind;
import io.dl4jdebug.ui.storage.RunInfo;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The decoded dl4j-debug records of one session and worker in one storage, read incrementally: each
 * {@link #refresh()} fetches only the updates newer than the last one seen, and re-reads a kind from the start when
 * the storage holds a different number of updates than were read (a record that arrived late, e.g. through a remote
 * router). Records that are not {@link DebugRecord}s are skipped with one warning. Thread safe.
 */
final class SessionRecords {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRecords.class);

    private final StatsStorage storage;
    private final String sessionId;
    private final String workerId;
    private final Map<RecordKind, List<DebugRecord>> records = new EnumMap<>(RecordKind.class);
    private final Map<RecordKind, Long> lastTimestamp = new EnumMap<>(RecordKind.class);
    private boolean warnedForeign;

    SessionRecords(StatsStorage storage, String sessionId, String workerId) {
        this.storage = storage;
        this.sessionId = sessionId;
        this.workerId = workerId;
        for (RecordKind k : RecordKind.values()) {
            records.put(k, new ArrayList<>());
            lastTimestamp.put(k, Long.MIN_VALUE);
        }
    }

    /** Reads what is new in the storage. */
    synchronized void refresh() {
        for (RecordKind kind : RecordKind.values()) {
            List<DebugRecord> list = records.get(kind);
            int stored = storage.getNumUpdateRecordsFor(sessionId, kind.typeId(), workerId);
            if (stored == list.size()) {
                continue;
            }
            if (stored < list.size()) {
                list.clear();
                lastTimestamp.put(kind, Long.MIN_VALUE);
            }
            List<Persistable> fresh = storage.getAllUpdatesAfter(sessionId, kind.typeId(), workerId,
                    lastTimestamp.get(kind));
            if (list.size() + fresh.size() != stored) {
                // A record arrived out of timestamp order: read the kind again from the start.
                list.clear();
                fresh = storage.getAllUpdatesAfter(sessionId, kind.typeId(), workerId, Long.MIN_VALUE);
            }
            for (Persistable p : fresh) {
                if (p instanceof DebugRecord r && !r.isStaticInfo() && r.kind() == kind) {
                    list.add(r);
                } else if (!warnedForeign) {
                    warnedForeign = true;
                    LOG.warn("Skipping a record of type {} that is not a dl4j-debug {} update: {}", kind.typeId(),
                            kind, p == null ? "null" : p.getClass().getName());
                }
                if (p != null) {
                    lastTimestamp.put(kind, Math.max(lastTimestamp.get(kind), p.getTimeStamp()));
                }
            }
        }
    }

    /**
     * @param kind the kind
     * @param type its payload type
     * @param <T>  the payload type
     * @return the payloads in timestamp order
     */
    synchronized <T> List<T> payloads(RecordKind kind, Class<T> type) {
        List<T> out = new ArrayList<>(records.get(kind).size());
        for (DebugRecord r : records.get(kind)) {
            out.add(r.payload(type));
        }
        return out;
    }

    /** @return the newest timestamp read, of any kind; empty when nothing was read */
    synchronized OptionalLong lastTimestamp() {
        long max = Long.MIN_VALUE;
        for (long t : lastTimestamp.values()) {
            max = Math.max(max, t);
        }
        return max == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(max);
    }

    /** @return the earliest start time in the static infos of this session and worker */
    OptionalLong startTime() {
        long min = Long.MAX_VALUE;
        for (RecordKind kind : RecordKind.values()) {
            Persistable p = storage.getStaticInfo(sessionId, kind.typeId(), workerId);
            if (p instanceof DebugRecord r && r.payload() instanceof RunInfo info) {
                min = Math.min(min, info.startTimeMillis());
            }
        }
        return min == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(min);
    }
}
