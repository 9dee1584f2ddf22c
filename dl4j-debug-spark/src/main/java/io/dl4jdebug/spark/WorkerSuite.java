package io.dl4jdebug.spark;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.listener.Workers;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.ui.StatsStorageSink;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.List;
import java.util.function.Consumer;

/**
 * The suite of one training session on one executor JVM, shared by the Spark tasks that run there, like one suite
 * under ParallelWrapper: each task runs its callbacks as its DL4J worker ({@link Workers#runAs(String, Runnable)}),
 * so the suite keeps that worker's state, judges its snapshots in its own rule engine and labels its records, and
 * its {@link StatsStorageSink} writes them, under the worker's ID, into the task's router. It outlives the tasks
 * (DL4J deserializes fresh listeners for every averaging round), so patience counts, loss windows and the first
 * NaN carry over from round to round. Thread safe.
 */
final class WorkerSuite {

    private final ThreadRouter router = new ThreadRouter();
    private final List<TrainingListener> listeners;

    /**
     * @param sessionId the session of every record
     * @param spec      the suite's configuration
     */
    WorkerSuite(String sessionId, WorkerSuiteSpec spec) {
        StatsStorageSink sink = StatsStorageSink.builder(router).sessionId(sessionId)
                .workerId(SparkDebug.EXECUTOR_WORKER_PREFIX + org.deeplearning4j.core.util.UIDProvider.getJVMUID())
                .build();
        DebugSuite suite = spec.build(new WorkerRecords(sink));
        this.listeners = suite.listeners();
    }

    /**
     * Runs one DL4J callback on every listener of the suite, as the given worker, its records going to the router.
     *
     * @param worker DL4J's worker ID of the task
     * @param taskRouter the task's router
     * @param call   the callback
     */
    void call(String worker, StatsStorageRouter taskRouter, Consumer<TrainingListener> call) {
        router.with(taskRouter, () -> Workers.runAs(worker, () -> listeners.forEach(call)));
    }

    /**
     * The worker's records: snapshots, NaN events, findings and losses. The worker-side diagnosis is left out: the
     * driver merges every worker's findings into the one diagnosis of the run.
     */
    private static final class WorkerRecords implements DebugSink {
        private final StatsStorageSink sink;

        private WorkerRecords(StatsStorageSink sink) {
            this.sink = sink;
        }

        @Override
        public String name() {
            return sink.name();
        }

        @Override
        public void onGradients(GradientSnapshot snapshot) {
            sink.onGradients(snapshot);
        }

        @Override
        public void onActivations(ActivationSnapshot snapshot) {
            sink.onActivations(snapshot);
        }

        @Override
        public void onNonFinite(NonFiniteEvent event) {
            sink.onNonFinite(event);
        }

        @Override
        public void onFinding(Finding finding) {
            sink.onFinding(finding);
        }

        @Override
        public void onScore(ScoreSnapshot snapshot) {
            sink.onScore(snapshot);
        }

        @Override
        public void onEpoch(EpochSnapshot snapshot) {
            sink.onEpoch(snapshot);
        }

        @Override
        public void onDiagnosis(Diagnosis diagnosis) {
            // the driver's merged diagnosis stands for the run
        }
    }
}
