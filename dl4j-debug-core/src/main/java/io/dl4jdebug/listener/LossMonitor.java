package io.dl4jdebug.listener;

import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.Objects;

/**
 * Records the loss: every iteration a {@link ScoreSnapshot} with DL4J's score (a cached scalar: free), plus the
 * regularization part of it on the {@code regularizationSchedule} (one norm per parameter); at the end of every epoch
 * of {@code fit(iterator)} an {@link EpochSnapshot} with the epoch's training loss and, when a validation iterator
 * was given, the validation loss in inference mode, both without regularization terms. These feed the loss-curve,
 * regularization and fitting rules.
 *
 * <p>The training loss is the mean minibatch score of the epoch minus the regularization at the epoch's end (cheap;
 * it mixes parameters from the whole epoch and includes dropout), or, when a training evaluation iterator was given,
 * the inference-mode loss on it. DL4J calls {@code onEpochEnd} only from {@code fit(DataSetIterator)} and
 * {@code fit(MultiDataSetIterator)}: with {@code fit(DataSet)} loops call {@link #endEpoch(Model)} yourself. Under
 * DL4J's ParallelWrapper (workers call {@code fit(DataSet)}) no epoch ends: there each worker closes a <em>window</em>
 * of {@code workerWindow} of its iterations as if it were an epoch (its {@link EpochSnapshot} numbers the windows and
 * carries the worker; the validation and training-evaluation sets are read by one worker at a time), so that the
 * fitting and train/inference rules still judge. The score snapshots carry the worker, and the sums are kept per
 * worker (thread safe).
 */
public final class LossMonitor extends DebugListener {

    private static final long serialVersionUID = 1L;

    private final Schedule regularizationSchedule;
    private final transient DataSetIterator validation;
    private final transient DataSetIterator trainEvaluation;
    private final int workerWindow;
    private final PerWorker<EpochTotals> totals = new PerWorker<>();

    /** Iterations of a ParallelWrapper worker that make one window (an epoch's stand-in) by default. */
    public static final int DEFAULT_WORKER_WINDOW = 100;

    /** The running sums of one network's epoch (one per ParallelWrapper worker, one outside it). */
    private static final class EpochTotals {
        private double sum;
        private long count;
        private long lastIteration = -1;
        private long windowIterations;
        private int windows;
    }

    /**
     * @param regularizationSchedule when to measure the regularization part of the score
     * @param validation             validation data for the per-epoch validation loss, or null for none
     * @param trainEvaluation        training data for an inference-mode training loss, or null to use the mean
     *                               minibatch score
     * @param sinks                  where snapshots go
     */
    public LossMonitor(Schedule regularizationSchedule, DataSetIterator validation, DataSetIterator trainEvaluation,
                       List<? extends DebugSink> sinks) {
        this(regularizationSchedule, validation, trainEvaluation, DEFAULT_WORKER_WINDOW, sinks);
    }

    /**
     * @param regularizationSchedule when to measure the regularization part of the score
     * @param validation             validation data for the per-epoch validation loss, or null for none
     * @param trainEvaluation        training data for an inference-mode training loss, or null to use the mean
     *                               minibatch score
     * @param workerWindow           iterations of a ParallelWrapper worker judged as one epoch (no epoch ends there)
     * @param sinks                  where snapshots go
     */
    public LossMonitor(Schedule regularizationSchedule, DataSetIterator validation, DataSetIterator trainEvaluation,
                       int workerWindow, List<? extends DebugSink> sinks) {
        super(sinks);
        this.regularizationSchedule = Objects.requireNonNull(regularizationSchedule,
                "regularizationSchedule must not be null");
        if (workerWindow < 1) {
            throw new IllegalArgumentException("workerWindow must be >= 1 but was " + workerWindow);
        }
        this.validation = validation;
        this.trainEvaluation = trainEvaluation;
        this.workerWindow = workerWindow;
    }

    /**
     * @param validation validation data, or null
     * @param sinks      where snapshots go
     * @return a monitor measuring regularization every 10 iterations
     */
    public static LossMonitor withValidation(DataSetIterator validation, DebugSink... sinks) {
        return new LossMonitor(Schedule.every(10), validation, null, List.of(sinks));
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        guarded("iterationDone", () -> {
            double score = model.score();
            ScoreSnapshot snapshot;
            if (regularizationSchedule.isDue(iteration)) {
                snapshot = ScoreSnapshot.withRegularization(iteration, epoch, score,
                        view(model).regularizationScore());
            } else {
                snapshot = ScoreSnapshot.of(iteration, epoch, score);
            }
            EpochTotals t = totals();
            if (Double.isFinite(score)) {
                t.sum += score;
                t.count++;
            }
            t.lastIteration = iteration;
            t.windowIterations++;
            sinks().score(snapshot.withWorker(worker()));
            if (!worker().isEmpty() && t.windowIterations >= workerWindow) {
                endWindow(model, t);
            }
        });
    }

    /** A ParallelWrapper worker's stand-in for an epoch's end: its window's losses, the window numbered as an epoch. */
    private void endWindow(Model model, EpochTotals t) {
        int window = t.windows++;
        t.windowIterations = 0;
        publishEpoch(model, t, window);
    }

    /**
     * Publishes the losses of the epoch (or worker window) that ended and starts the next one's totals; nothing when
     * it saw no finite score and there is no training-evaluation set.
     */
    private void publishEpoch(Model model, EpochTotals t, int number) {
        if (t.count == 0 && trainEvaluation == null) {
            return;
        }
        ModelView v = view(model);
        double regularization = v.regularizationScore();
        double train;
        double validationLoss = 0;
        // the evaluation iterators are shared by ParallelWrapper's workers: one worker reads them at a time
        synchronized (this) {
            train = trainEvaluation != null ? v.meanScore(trainEvaluation) - regularization
                    : t.sum / t.count - regularization;
            if (validation != null) {
                validationLoss = v.meanScore(validation) - regularization;
            }
        }
        long iteration = Math.max(0, t.lastIteration);
        EpochSnapshot snapshot = validation != null ? EpochSnapshot.of(number, iteration, train, validationLoss)
                : EpochSnapshot.trainOnly(number, iteration, train);
        t.sum = 0;
        t.count = 0;
        sinks().epoch(snapshot.withWorker(worker()));
    }

    @Override
    public void onEpochStart(Model model) {
        guarded("onEpochStart", this::resetEpoch);
    }

    @Override
    public void onEpochEnd(Model model) {
        guarded("onEpochEnd", () -> endEpoch(model));
    }

    /**
     * Measures and publishes the epoch's losses now; {@code onEpochEnd} calls it.
     *
     * @param model the network
     */
    public void endEpoch(Model model) {
        // DL4J increments the epoch counter after onEpochEnd: the current count is the epoch that ended.
        publishEpoch(model, totals(), currentEpoch(model));
    }

    private void resetEpoch() {
        EpochTotals t = totals();
        t.sum = 0;
        t.count = 0;
    }

    /** @return the current worker's totals (ParallelWrapper calls this listener from every worker thread) */
    private EpochTotals totals() {
        return totals.getOrCreate(EpochTotals::new);
    }
}
