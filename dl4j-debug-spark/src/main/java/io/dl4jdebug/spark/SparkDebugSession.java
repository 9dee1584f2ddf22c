package io.dl4jdebug.spark;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Diagnostician;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.diagnose.RuleEngine;
import io.dl4jdebug.listener.RuleSink;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.facts.NetworkFactsReader;
import io.dl4jdebug.publish.FailureTally;
import io.dl4jdebug.publish.LoggingSink;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.publish.SinkGroup;
import io.dl4jdebug.ui.StatsStorageSink;
import io.dl4jdebug.ui.storage.LossPoint;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The driver's side of dl4j-debug on DL4J's Spark training: it reads the workers' records as they arrive (once per
 * averaging round), keeps the run's loss curve from each round's averaged score, judges the
 * driver's epochs ({@link #endEpoch()}, between {@code fit} calls: the fitting and loss-curve rules, which workers
 * cannot run as they see no epoch), and merges every worker's findings into one {@link #diagnosis()}: the same
 * finding on several workers is one finding naming them ({@link WorkerMerge}).
 *
 * <p>What it publishes itself (the averaged loss, validation losses, fitting verdicts, its own findings and the
 * merged diagnosis) goes to the user's router under the worker ID {@value #DRIVER_WORKER}, in the workers' session.
 * {@link #close()} publishes the final diagnosis. Thread safe.
 */
public final class SparkDebugSession implements AutoCloseable {

    /** The worker ID of the driver's own records. */
    public static final String DRIVER_WORKER = "driver";

    private final String sessionId;
    private final DriverRecords records;
    private final CollectingRouter router;
    private final RuleEngine engine;
    private final StatsStorageSink sink;
    private final LoggingSink log = new LoggingSink();
    private final DataSetIterator validation;
    private final Supplier<? extends Model> network;
    private final DoubleSupplier averagedScore;
    private final NetworkFacts facts;
    /** The driver's own findings, as the rules published them. */
    private final RecordingSink driver = new RecordingSink();
    /** The driver's rules: findings to the log, the user's router and {@link #driver}, each sink's failure contained. */
    private final RuleSink rules;
    /** The user's router for the driver's snapshots and diagnosis; a failing router is logged, never thrown. */
    private final SinkGroup out;
    private final AtomicBoolean lossFailureLogged = new AtomicBoolean();
    /** dl4j-debug's failures at the driver: the user's router, the sinks, the rules (each counted by name). */
    private final FailureTally failures = new FailureTally();
    /** Failed and repeated task attempts and lost executors, from Spark's listener bus; null until attached. */
    private volatile TaskFaults faults;
    private volatile org.apache.spark.SparkContext context;
    private int rounds;
    private volatile StorageFollower follower;
    private boolean closed;
    private double roundScoreSum;
    private int roundScores;

    SparkDebugSession(String sessionId, SparkDebugOptions options, ModelView view, Supplier<? extends Model> network,
                      DoubleSupplier averagedScore, StatsStorageRouter userRouter) {
        this.sessionId = sessionId;
        this.records = new DriverRecords(sessionId, this::onAveragedLoss, this::onRound);
        this.router = new CollectingRouter(userRouter, records, failures);
        WorkerSuiteSpec spec = options.spec();
        this.engine = RuleEngine.of(spec.rules(), spec.gradients(), spec.activations());
        this.sink = StatsStorageSink.builder(userRouter).sessionId(sessionId).workerId(DRIVER_WORKER).build();
        this.rules = new RuleSink(engine, List.of(log, sink, driver)).reportFailuresTo(failures);
        this.out = new SinkGroup(List.of(sink)).reportFailuresTo(failures);
        this.validation = options.validation().orElse(null);
        this.network = network;
        this.averagedScore = averagedScore;
        this.facts = NetworkFactsReader.read(view);
    }

    /** @return the session ID of every record */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Listens to the Spark context's task and executor events (failed and repeated task attempts, lost executors)
     * until {@link #close()}.
     *
     * @param sparkContext the training's Spark context
     */
    void watch(org.apache.spark.SparkContext sparkContext) {
        TaskFaults listener = new TaskFaults();
        sparkContext.addSparkListener(listener);
        this.context = sparkContext;
        this.faults = listener;
    }

    /** @return the router handed to DL4J (passes everything on to the user's) */
    StatsStorageRouter router() {
        return router;
    }

    /**
     * Reads the workers' records from a storage instead of the router's way back, for SharedTrainingMaster: there the
     * executors send records straight to the router given to {@code attach} (in practice a
     * {@code RemoteUIStatsStorageRouter}, which posts them to a UI server with the remote listener on), and the
     * driver reads them from the storage that UI server writes into. The records arrive asynchronously; each
     * reading method of this session ({@link #findings()}, {@link #workers()}, {@link #endEpoch()}, ...) reads
     * what has arrived.
     *
     * @param storage the storage the workers' records land in
     * @return this session
     */
    public SparkDebugSession follow(org.deeplearning4j.core.storage.StatsStorage storage) {
        this.follower = new StorageFollower(Objects.requireNonNull(storage, "storage must not be null"), sessionId,
                records);
        return this;
    }

    private void sync() {
        StorageFollower f = follower;
        if (f != null) {
            f.poll();
        }
    }

    /**
     * The workers' training loss averaged per iteration: the driver's loss curve when the records come through a
     * followed storage (SharedTrainingMaster has no averaging rounds).
     */
    private synchronized void onAveragedLoss(DriverRecords.AveragedLoss loss) {
        if (follower == null) {
            return;
        }
        ScoreSnapshot snapshot = ScoreSnapshot.of(loss.iteration(), loss.epoch(), loss.loss());
        rules.onScore(snapshot);
        out.score(snapshot);
    }

    /**
     * One averaging round's records arrived (ParameterAveragingTrainingMaster, which has just set the round's
     * averaged score): the score is the driver's loss curve, one point per round, numbered by the network's iteration
     * count at the round's start.
     */
    private synchronized void onRound() {
        double score = averagedScore.getAsDouble();
        Model net = network.get();
        ScoreSnapshot snapshot = ScoreSnapshot.of(BaseOptimizer.getIterationCount(net),
                BaseOptimizer.getEpochCount(net), score);
        rules.onScore(snapshot);
        publishLoss(new LossPoint(snapshot.iteration(), snapshot.epoch(), LossPoint.Split.TRAIN, score));
        rounds++;
        if (Double.isFinite(score)) {
            roundScoreSum += score;
            roundScores++;
        }
    }

    /**
     * Stores one averaging round's loss point (runs inside DL4J's driver-side router call): a failing router is logged
     * once and training goes on.
     */
    private void publishLoss(LossPoint point) {
        try {
            sink.onLoss(point);
        } catch (RuntimeException e) {
            failures.record("driver loss point to the router", "onLoss", e);
            if (lossFailureLogged.compareAndSet(false, true)) {
                org.slf4j.LoggerFactory.getLogger(SparkDebugSession.class).warn("the router failed to store the "
                        + "driver's loss point; training goes on, later failures are not logged", e);
            }
        }
    }

    /**
     * Ends the driver's epoch (call it after each {@code fit}): the training loss is the mean of the averaging
     * rounds' scores since the previous call (each the workers' last minibatch scores averaged by the training
     * master; from a followed storage, the mean of the workers' training-loss points, stored every 10th iteration),
     * the validation
     * loss is the options' validation data scored on the averaged network in inference mode; both without the
     * regularization terms. The rules judge the epoch (fitting, loss curve); the losses, the verdict and the merged
     * diagnosis are published.
     *
     * @return the verdict of the fitting rule
     */
    public FittingStatus endEpoch() {
        Model net = network.get();
        ModelView view = ModelView.of(net);
        double regularization = view.regularizationScore();
        OptionalDouble validationLoss = OptionalDouble.empty();
        if (validation != null) {
            validationLoss = OptionalDouble.of(view.meanScore(validation) - regularization);
        }
        return endEpoch(validationLoss);
    }

    /**
     * Ends the driver's epoch with a validation loss the user computed (same loss as training, without
     * regularization); see {@link #endEpoch()}.
     *
     * @param validationLoss the validation loss of the averaged network
     * @return the verdict of the fitting rule
     */
    public FittingStatus endEpoch(double validationLoss) {
        return endEpoch(OptionalDouble.of(validationLoss));
    }

    private synchronized FittingStatus endEpoch(OptionalDouble validationLoss) {
        sync();
        Model net = network.get();
        ModelView view = ModelView.of(net);
        // the rounds' averaged scores (or, from a followed storage, the workers' loss points) include the
        // regularization terms, as DL4J's score does; the epoch's losses do not
        OptionalDouble workerPoints = records.takeEpochLoss();
        double trainScore = roundScores > 0 ? roundScoreSum / roundScores
                : workerPoints.orElseGet(averagedScore);
        roundScoreSum = 0;
        roundScores = 0;
        double train = trainScore - view.regularizationScore();
        // SparkDl4jMultiLayer.fit increments the epoch counter after training: the count is the epoch that ended + 1
        int epoch = Math.max(0, BaseOptimizer.getEpochCount(net) - 1);
        long iteration = BaseOptimizer.getIterationCount(net);
        EpochSnapshot snapshot = validationLoss.isPresent()
                ? EpochSnapshot.of(epoch, iteration, train, validationLoss.getAsDouble())
                : EpochSnapshot.trainOnly(epoch, iteration, train);
        out.epoch(snapshot);
        rules.onEpoch(snapshot);
        out.diagnosis(diagnosis());
        return rules.fittingStatus();
    }

    /** @return every worker's findings as they came, each naming its worker (not merged) */
    public List<Finding> workerFindings() {
        sync();
        return records.findings();
    }

    /** @return the findings of the driver's own rules (averaged loss, epochs) */
    public List<Finding> driverFindings() {
        return driver.findings();
    }

    /** @return the workers' and the driver's findings, the same finding on several workers merged into one */
    public List<Finding> findings() {
        sync();
        List<Finding> all = new ArrayList<>(records.findings());
        all.addAll(driverFindings());
        return WorkerMerge.merge(all);
    }

    /** @return the merged findings as incidents: root cause first, consequences folded under it */
    public Diagnosis diagnosis() {
        return Diagnostician.diagnose(findings(), facts, lossSummary());
    }

    /**
     * @return the run's loss curve in four numbers, from the rounds' averaged scores; {@link LossSummary#none()} until
     *         it holds two windows of points (the rules' {@code lossWindow}, 10 by default: 20 averaging rounds), as
     *         fewer points cannot tell whether the run learned (the diagnosis would otherwise dismiss every fitting
     *         verdict of a short run as "never learned")
     */
    public synchronized LossSummary lossSummary() {
        LossSummary summary = engine.lossSummary();
        return summary.iterations() >= 2L * summary.window() ? summary : LossSummary.none();
    }

    /** @return the first NaN/Inf of any worker (lowest iteration), naming the worker */
    public Optional<NonFiniteEvent> firstNonFinite() {
        sync();
        return records.firstNonFinite();
    }

    /** @return every worker's NaN/Inf events (each worker reports its first) */
    public List<NonFiniteEvent> nonFiniteEvents() {
        sync();
        return records.nonFinite();
    }

    /** @return the IDs of the workers whose records reached the driver */
    public SortedSet<String> workers() {
        sync();
        return records.workers();
    }

    /**
     * @return what happened across processes: the workers seen, the averaging rounds on the driver's loss curve, the
     *         task attempts that failed and the tasks Spark repeated (their records never reach the driver), the lost
     *         executors, and dl4j-debug's failures at the driver (a router that threw, counted). Spark delivers task
     *         events shortly after they happen: read it after {@code fit} returned.
     */
    public SparkRunReport report() {
        TaskFaults f = faults;
        int r;
        synchronized (this) {
            r = rounds;
        }
        return new SparkRunReport(workers(), r, f == null ? List.of() : f.failed(),
                f == null ? List.of() : f.repeated(), f == null ? List.of() : f.lostExecutors(), failures.failures());
    }

    /**
     * Publishes the final diagnosis and forgets this session's worker suite in this JVM (local mode; executors
     * forget old sessions by themselves). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.diagnosis(diagnosis());
        WorkerSuites.remove(sessionId);
        TaskFaults f = faults;
        org.apache.spark.SparkContext sc = context;
        if (f != null && sc != null) {
            sc.removeSparkListener(f);
        }
        SparkRunReport report = report();
        if (report.tasksRepeated() || !report.lost().isEmpty() || !report.failures().isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(SparkDebugSession.class).warn("dl4j-debug Spark run report:\n  {}",
                    String.join("\n  ", report.lines()));
        }
    }

    @Override
    public String toString() {
        return "SparkDebugSession(" + sessionId + ", workers " + workers() + ")";
    }

}
