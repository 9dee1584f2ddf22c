package io.dl4jdebug.spark;

import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.impl.SparkListenable;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one call that attaches dl4j-debug to DL4J's Spark training.
 *
 * <pre>{@code
 * StatsStorage storage = new FileStatsStorage(new File("run.dl4j"));
 * SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, new ParameterAveragingTrainingMaster.Builder(32)
 *         .batchSizePerWorker(32).averagingFrequency(5).workerPrefetchNumBatches(0).build());
 * try (SparkDebugSession debug = SparkDebug.attach(spark, storage,
 *         SparkDebugOptions.builder().validation(testIterator).build())) {
 *     for (int epoch = 0; epoch < 5; epoch++) {
 *         spark.fit(trainRdd);
 *         debug.endEpoch();        // the driver's epoch: averaged training loss, validation loss, fitting
 *     }
 *     debug.diagnosis().first().ifPresent(System.out::println);
 * }
 * }</pre>
 *
 * <p>It sets the Spark network's listeners to the given other listeners plus one {@link SparkDebugListener}, with a
 * router that passes every record on to the given one. With {@code ParameterAveragingTrainingMaster} each task's
 * records come back to the driver once per averaging round, into that router, where the {@link SparkDebugSession}
 * reads the findings. See the README's "Scaling out" for {@code SharedTrainingMaster}.
 */
public final class SparkDebug {

    /** Prefix of the worker ID under which an executor's own records (none so far) would be stored. */
    static final String EXECUTOR_WORKER_PREFIX = "executor-";

    private SparkDebug() {
    }

    /**
     * @param spark   the Spark network (its TrainingMaster set)
     * @param router  where every record goes: a StatsStorage (InMemoryStatsStorage, FileStatsStorage) or a
     *                RemoteUIStatsStorageRouter; Serializable only for SharedTrainingMaster
     * @param options the options
     * @return the driver's session
     */
    public static SparkDebugSession attach(SparkDl4jMultiLayer spark, StatsStorageRouter router,
                                           SparkDebugOptions options) {
        SparkDebugSession session = new SparkDebugSession(sessionId(options), options,
                ModelView.of(spark.getNetwork()), spark::getNetwork, spark::getScore, router);
        session.watch(spark.getSparkContext().sc());
        setListeners(spark, session, options);
        return session;
    }

    /**
     * @param spark   the Spark network (its TrainingMaster set)
     * @param router  where every record goes: a StatsStorage or a RemoteUIStatsStorageRouter (Serializable for
     *                SharedTrainingMaster)
     * @param options the options
     * @return the driver's session
     */
    public static SparkDebugSession attach(SparkComputationGraph spark, StatsStorageRouter router,
                                           SparkDebugOptions options) {
        SparkDebugSession session = new SparkDebugSession(sessionId(options), options,
                ModelView.of(spark.getNetwork()), spark::getNetwork, spark::getScore, router);
        session.watch(spark.getSparkContext().sc());
        setListeners(spark, session, options);
        return session;
    }

    private static String sessionId(SparkDebugOptions options) {
        return options.sessionId().orElseGet(() -> UUID.randomUUID().toString());
    }

    private static void setListeners(SparkListenable spark, SparkDebugSession session, SparkDebugOptions options) {
        List<TrainingListener> all = new ArrayList<>(options.listeners());
        all.add(new SparkDebugListener(session.sessionId(), options.spec()));
        spark.setListeners(session.router(), all);
    }
}
