package io.dl4jdebug.listener;

import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * DL4J's ParallelWrapper (workers call {@code fit(DataSet)}) no epoch ends, so no {@link EpochSnapshot} is made; the
 * score snapshots carry the worker, and the sums are kept per worker (thread safe).
 */
public final class LossMonitor extends DebugListener {

    private static final long serialVersionUID = 1L;

    private final Schedule regularizationSchedule;
    private final transient DataSetIterator validation;
    private final transient DataSetIterator trainEvaluation;
    private transient Map<String, EpochTotals> totals;

    /** The running sums of one network's epoch (one per ParallelWrapper worker, one outside it). */
    private static final class EpochTotals {
        private double sum;
        private long count;
        private long lastIteration = -1;
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
        super(sinks);
        this.regularizationSchedule = Objects.requireNonNull(regularizationSchedule,
                "regularizationSchedule must not be null");
        this.validation = validation;
        this.trainEvaluation = trainEvaluation;
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
            sinks().score(snapshot.withWorker(worker()));
        });
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
        EpochTotals t = totals();
        if (t.count == 0 && trainEvaluation == null) {
            return;
        }
        ModelView v = view(model);
        double regularization = v.regularizationScore();
        double train = trainEvaluation != null ? meanLoss(v, trainEvaluation) - regularization
                : t.sum / t.count - regularization;
        // DL4J increments the epoch counter after onEpochEnd: the current count is the epoch that ended.
        int epoch = currentEpoch(model);
        long iteration = Math.max(0, t.lastIteration);
        EpochSnapshot snapshot = validation != null
                ? EpochSnapshot.of(epoch, iteration, train, meanLoss(v, validation) - regularization)
                : EpochSnapshot.trainOnly(epoch, iteration, train);
        resetEpoch();
        sinks().epoch(snapshot.withWorker(worker()));
    }

    private void resetEpoch() {
        EpochTotals t = totals();
        t.sum = 0;
        t.count = 0;
    }

    /** @return the current worker's totals (ParallelWrapper calls this listener from every worker thread) */
    private EpochTotals totals() {
        Map<String, EpochTotals> all;
        synchronized (this) {
            if (totals == null) {
                totals = new ConcurrentHashMap<>();
            }
            all = totals;
        }
        return all.computeIfAbsent(worker(), w -> new EpochTotals());
    }

    private static double meanLoss(ModelView v, DataSetIterator data) {
        if (data.resetSupported()) {
            data.reset();
        }
        double sum = 0;
        long examples = 0;
        while (data.hasNext()) {
            DataSet ds = data.next();
            int n = ds.numExamples();
            sum += v.score(ds) * n;
            examples += n;
        }
        if (examples == 0) {
            throw new IllegalStateException("the evaluation iterator returned no examples; it must be resettable "
                    + "(resetSupported() == true) to be read every epoch");
        }
        return sum / examples;
    }
}
