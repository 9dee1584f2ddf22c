package io.dl4jdebug.spark;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one listener dl4j-debug hands to DL4J's Spark training; it travels to the executors and runs the suite there.
 *
 * <p>DL4J's {@code ParameterAveragingTrainingWorker.configureListeners} (dl4j-spark 1.0.0-M2) gives every
 * {@link RoutingIterationListener} of a task a worker-side {@code VanillaStatsStorageRouter} and a worker ID
 * ({@code <JVM UID>_<n>}, n counting the tasks of the round on that JVM); the records put into that router travel
 * back with the task's result and the driver writes them into the user's router once per averaging round. This
 * listener is deserialized afresh for every task; each callback goes to the executor's {@link WorkerSuite} of its
 * session, run as its worker and routed to its task's router. Workers call {@code fit(DataSet)} one minibatch at a
 * time, so {@code onEpochStart}/{@code onEpochEnd} never fire there: the suite judges windows of
 * {@code workerWindow} iterations instead (see {@code DebugSuite.Builder.workerWindow}).
 *
 * <p>Serializable: only the session ID, the worker ID and the {@link WorkerSuiteSpec} travel; the router is set on
 * the executor. Thread safe (one instance per task).
 */
public final class SparkDebugListener implements RoutingIterationListener {

    private static final long serialVersionUID = 1L;

    /**
     * Prefix of the worker ID used when DL4J gave none (SharedTrainingMaster with one training thread per executor
     * sets no worker ID): followed by the JVM's UID, so each executor is one worker.
     */
    static final String UNNAMED_WORKER = "spark-worker-";

    private final WorkerSuiteSpec spec;
    private String sessionId;
    private String workerId;
    private transient StatsStorageRouter router;

    /**
     * @param sessionId the training session (the driver's)
     * @param spec      the suite's configuration
     */
    public SparkDebugListener(String sessionId, WorkerSuiteSpec spec) {
        this.sessionId = requireId(sessionId, "sessionId");
        this.spec = Objects.requireNonNull(spec, "spec must not be null");
    }

    private static String requireId(String id, String name) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank string but was '" + id + "'");
        }
        return id;
    }

    private void call(Consumer<TrainingListener> callback) {
        StatsStorageRouter r = router != null ? router : Discard.INSTANCE;
        String worker = workerId != null && !workerId.isBlank() ? workerId
                : UNNAMED_WORKER + org.deeplearning4j.core.util.UIDProvider.getJVMUID();
        WorkerSuites.of(sessionId, spec).call(worker, r, callback);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        call(l -> l.iterationDone(model, iteration, epoch));
    }

    @Override
    public void onEpochStart(Model model) {
        call(l -> l.onEpochStart(model));
    }

    @Override
    public void onEpochEnd(Model model) {
        call(l -> l.onEpochEnd(model));
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        call(l -> l.onForwardPass(model, activations));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        call(l -> l.onForwardPass(model, activations));
    }

    @Override
    public void onGradientCalculation(Model model) {
        call(l -> l.onGradientCalculation(model));
    }

    @Override
    public void onBackwardPass(Model model) {
        call(l -> l.onBackwardPass(model));
    }

    @Override
    public void setStorageRouter(StatsStorageRouter router) {
        this.router = router;
    }

    @Override
    public StatsStorageRouter getStorageRouter() {
        return router;
    }

    @Override
    public void setWorkerID(String workerID) {
        this.workerId = workerID;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public void setSessionID(String sessionID) {
        this.sessionId = requireId(sessionID, "sessionID");
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    /** @return the suite's configuration */
    public WorkerSuiteSpec spec() {
        return spec;
    }

    /**
     * @return a copy for another worker (ParallelWrapper, which SharedTrainingMaster runs on executors, clones
     *         routing listeners per thread): same session and configuration, no worker ID or router yet
     */
    @Override
    public SparkDebugListener clone() {
        return new SparkDebugListener(sessionId, spec);
    }

    @Override
    public String toString() {
        return "SparkDebugListener(session " + sessionId + ", worker " + workerId + ")";
    }

    /** Where records go when DL4J gave the listener no router: nowhere. */
    private enum Discard implements StatsStorageRouter {
        INSTANCE;

        @Override
        public void putStorageMetaData(StorageMetaData storageMetaData) {
        }

        @Override
        public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        }

        @Override
        public void putStaticInfo(Persistable staticInfo) {
        }

        @Override
        public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        }

        @Override
        public void putUpdate(Persistable update) {
        }

        @Override
        public void putUpdate(Collection<? extends Persistable> updates) {
        }
    }
}
