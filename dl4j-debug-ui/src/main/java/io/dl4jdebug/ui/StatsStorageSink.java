package io.dl4jdebug.ui;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.ui.storage.DebugRecord;
import io.dl4jdebug.ui.storage.FittingVerdict;
import io.dl4jdebug.ui.storage.LossPoint;
import io.dl4jdebug.ui.storage.RecordKind;
import io.dl4jdebug.ui.storage.RunInfo;
import io.dl4jdebug.ui.storage.StoredDiagnosis;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.util.UIDProvider;
import org.deeplearning4j.ui.model.stats.BaseStatsListener;
import org.deeplearning4j.ui.model.storage.impl.JavaStorageMetaData;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes dl4j-debug snapshots, findings, diagnoses, loss points, fitting verdicts and checklist results as DL4J
 * {@code Persistable} records ({@link DebugRecord}) into any {@link StatsStorageRouter}: {@code InMemoryStatsStorage},
 * {@code FileStatsStorage}, or {@code RemoteUIStatsStorageRouter} (a UI server in another JVM).
 *
 * <pre>{@code
 * StatsStorage storage = new FileStatsStorage(new File("run.dl4j"));
 * StatsListener stats = new StatsListener(storage);
 * DebugSuite suite = DebugSuite.builder().sink(StatsStorageSink.builder(storage).sameIdsAs(stats).build()).build();
 * net.setListeners(stats);
 * suite.attachTo(net);
 * }</pre>
 *
 * <p>Per kind, the first record is preceded by the storage metadata and the static info (DL4J storages discover
 * sessions and workers from static info).
 *
 * <p>Under DL4J's ParallelWrapper the snapshots, losses, NaN events and findings of each worker carry its ID
 * ({@code worker-0}, {@code worker-1}, ...) and are stored under it, in the same session, so the Debug page's worker
 * selector shows each worker; what belongs to the whole run (checklist, diagnosis, fitting verdicts) stays under
 * this sink's own worker ID. Outside ParallelWrapper every record has this sink's worker ID, as before. Every record gets a timestamp strictly greater than the previous one of this
 * sink (wall-clock milliseconds, moved forward by one when two records fall in the same millisecond), because a
 * storage keys updates by session, type, worker and timestamp and would otherwise overwrite one with the other. Two
 * sinks should not share a session and worker ID.
 *
 * <p>Thread safe. The router's failures propagate to the caller; inside a {@code DebugSuite} the sink group reports
 * them once and training goes on.
 */
public final class StatsStorageSink implements DebugSink {

    /** Training-loss points are stored every this many iterations. */
    public static final int TRAIN_LOSS_PERIOD = 10;
    private static final java.util.Map<FittingStatus, String> FITTING_MESSAGES = java.util.Map.of(
            FittingStatus.UNDERFITTING, "underfitting: add capacity or train longer",
            FittingStatus.OVERFITTING, "overfitting: add regularization or data",
            FittingStatus.CONVERGED, "converged normally",
            FittingStatus.KEEP_WATCHING, "keep watching",
            FittingStatus.NOT_LEARNING, "not learning: the training loss is not (or no longer) below its initial "
                    + "value; no fitting verdict applies (see the incidents)");

    private static String hostname;

    private final StatsStorageRouter router;
    private final String sessionId;
    private final String workerId;
    private final Set<String> started = new java.util.HashSet<>();
    private long lastTimestamp = Long.MIN_VALUE;
    private long startTime = -1;
    private StoredDiagnosis lastDiagnosis;

    private StatsStorageSink(Builder b) {
        this.router = b.router;
        this.sessionId = b.sessionId != null ? b.sessionId : UUID.randomUUID().toString();
        this.workerId = b.workerId != null ? b.workerId : UIDProvider.getJVMUID() + "_" + Thread.currentThread().getId();
    }

    /**
     * @param router where records go (a StatsStorage, or a remote router)
     * @return a builder; without IDs, the session ID is a random UUID and the worker ID follows StatsListener's
     *         pattern (JVM UID, underscore, thread ID)
     */
    public static Builder builder(StatsStorageRouter router) {
        return new Builder(router);
    }

    /** @return the session ID of every record */
    public String sessionId() {
        return sessionId;
    }

    /** @return the worker ID of every record outside ParallelWrapper (ParallelWrapper workers' records use theirs) */
    public String workerId() {
        return workerId;
    }

    @Override
    public String name() {
        return "StatsStorageSink(" + sessionId + ")";
    }

    @Override
    public void onGradients(GradientSnapshot snapshot) {
        publish(RecordKind.GRADIENTS, snapshot, snapshot.worker());
    }

    @Override
    public void onActivations(ActivationSnapshot snapshot) {
        publish(RecordKind.ACTIVATIONS, snapshot, snapshot.worker());
    }

    @Override
    public void onNonFinite(NonFiniteEvent event) {
        publish(RecordKind.NON_FINITE, event, event.worker());
    }

    @Override
    public void onFinding(Finding finding) {
        publish(RecordKind.FINDING, finding, finding.worker());
    }

    /**
     * Publishes the newest diagnosis as a {@link StoredDiagnosis} (incidents, their summaries, fixes and verification
     * numbers, dismissed findings; no evidence, no snapshot). The suite calls this at every epoch end, at close and
     * once fixes were verified; a diagnosis equal to the one stored last is not stored again.
     *
     * @param diagnosis the newest diagnosis
     */
    @Override
    public void onDiagnosis(Diagnosis diagnosis) {
        StoredDiagnosis stored = StoredDiagnosis.of(diagnosis);
        synchronized (this) {
            if (stored.equals(lastDiagnosis)) {
                return;
            }
            publish(RecordKind.DIAGNOSIS, stored);
            lastDiagnosis = stored;
        }
    }

    /**
     * Publishes the training loss every {@value #TRAIN_LOSS_PERIOD}th iteration (the storage keeps what the page
     * draws, not every iteration).
     *
     * @param snapshot the score of one iteration
     */
    @Override
    public void onScore(ScoreSnapshot snapshot) {
        if (snapshot.iteration() % TRAIN_LOSS_PERIOD == 0) {
            publish(RecordKind.LOSS, new LossPoint(snapshot.iteration(), snapshot.epoch(), LossPoint.Split.TRAIN,
                    snapshot.score()), snapshot.worker());
        }
    }

    /**
     * Publishes the validation loss of an epoch, when one was measured.
     *
     * @param snapshot the epoch's losses
     */
    @Override
    public void onEpoch(EpochSnapshot snapshot) {
        if (snapshot.validationMeasured()) {
            publish(RecordKind.LOSS, new LossPoint(snapshot.iteration(), snapshot.epoch(),
                    LossPoint.Split.VALIDATION, snapshot.validationLoss()), snapshot.worker());
        }
    }

    /**
     * Publishes the fitting diagnosis of an epoch, as judged by the rules.
     *
     * @param status the verdict
     * @param epoch  the epoch's losses
     */
    @Override
    public void onFitting(FittingStatus status, EpochSnapshot epoch) {
        if (!epoch.validationMeasured()) {
            return;
        }
        onFitting(new FittingVerdict(epoch.iteration(), epoch.epoch(), status.name(), epoch.trainLoss(),
                epoch.validationLoss(), FITTING_MESSAGES.get(status)));
    }

    /**
     * Publishes a training or validation loss value.
     *
     * @param point the loss point
     */
    public void onLoss(LossPoint point) {
        publish(RecordKind.LOSS, point);
    }

    /**
     * Publishes the fitting diagnosis of an epoch.
     *
     * @param verdict the verdict
     */
    public void onFitting(FittingVerdict verdict) {
        publish(RecordKind.FITTING, verdict);
    }

    /**
     * Publishes the result of one checklist item.
     *
     * @param item the item
     */
    @Override
    public void onChecklist(ChecklistItem item) {
        publish(RecordKind.CHECKLIST, item);
    }

    private void publish(RecordKind kind, Object payload) {
        publish(kind, payload, "");
    }

    /**
     * @param worker the ParallelWrapper worker that measured the payload (its records are stored under that worker ID,
     *               so the Debug page's worker selector shows each worker), empty for this sink's own worker ID
     */
    private synchronized void publish(RecordKind kind, Object payload, String worker) {
        Objects.requireNonNull(payload, () -> kind + " payload must not be null");
        String workerId = worker == null || worker.isEmpty() ? this.workerId : worker;
        if (started.add(kind.typeId() + '\n' + workerId)) {
            long ts = nextTimestamp();
            if (startTime < 0) {
                startTime = ts;
            }
            router.putStorageMetaData(new JavaStorageMetaData(ts, sessionId, kind.typeId(), workerId,
                    DebugRecord.class, DebugRecord.class));
            router.putStaticInfo(DebugRecord.staticInfo(sessionId, workerId, ts, kind,
                    new RunInfo(startTime, DebugRecord.FORMAT_VERSION, hostname())));
        }
        router.putUpdate(DebugRecord.update(sessionId, workerId, nextTimestamp(), kind, payload));
    }

    private long nextTimestamp() {
        long ts = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
        lastTimestamp = ts;
        return ts;
    }

    private static synchronized String hostname() {
        if (hostname == null) {
            try {
                hostname = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException | SecurityException e) {
                hostname = "unknown";
            }
        }
        return hostname;
    }

    /** Builder of {@link StatsStorageSink}. Not thread safe. */
    public static final class Builder {
        private final StatsStorageRouter router;
        private String sessionId;
        private String workerId;

        private Builder(StatsStorageRouter router) {
            this.router = Objects.requireNonNull(router, "router must not be null: pass a StatsStorage "
                    + "(InMemoryStatsStorage, FileStatsStorage) or a RemoteUIStatsStorageRouter");
        }

        /**
         * @param sessionId the session ID of every record (non-empty)
         * @return this builder
         */
        public Builder sessionId(String sessionId) {
            this.sessionId = requireId(sessionId, "sessionId");
            return this;
        }

        /**
         * @param workerId the worker ID of every record (non-empty)
         * @return this builder
         */
        public Builder workerId(String workerId) {
            this.workerId = requireId(workerId, "workerId");
            return this;
        }

        /**
         * Uses the session and worker IDs of DL4J's {@code StatsListener} writing to the same storage, so that the
         * Debug page and the Overview/Model/System pages show the same session.
         *
         * @param statsListener the StatsListener (or J7StatsListener)
         * @return this builder
         */
        public Builder sameIdsAs(BaseStatsListener statsListener) {
            Objects.requireNonNull(statsListener, "statsListener must not be null");
            return sessionId(statsListener.getSessionID()).workerId(statsListener.getWorkerID());
        }

        private static String requireId(String id, String name) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(name + " must be a non-blank string but was '" + id + "'");
            }
            return id;
        }

        /** @return the sink */
        public StatsStorageSink build() {
            return new StatsStorageSink(this);
        }
    }
}
