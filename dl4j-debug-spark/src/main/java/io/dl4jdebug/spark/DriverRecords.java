package io.dl4jdebug.spark;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.ui.storage.DebugRecord;
import io.dl4jdebug.ui.storage.LossPoint;
import org.deeplearning4j.core.storage.Persistable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What the driver learns from the workers' records as DL4J writes them into the user's router: every worker's
 * findings and NaN/Inf events, the workers seen, and the training loss averaged over the workers per iteration
 * (handed to a consumer once per averaging round: the driver's loss curve). Reads only the records of one session.
 * Thread safe.
 */
final class DriverRecords {

    private final String sessionId;
    private final List<Finding> findings = new ArrayList<>();
    private final List<NonFiniteEvent> nonFinite = new ArrayList<>();
    private final SortedSet<String> workers = new TreeSet<>();
    private final Consumer<AveragedLoss> roundLoss;
    private final Runnable roundEnded;
    private double epochLossSum;
    private long epochLossCount;

    /**
     * The training loss of one iteration, averaged over the workers that reported it.
     *
     * @param iteration the iteration
     * @param epoch     the epoch
     * @param loss      the mean of the workers' training losses
     * @param workers   how many workers reported it
     */
    record AveragedLoss(long iteration, int epoch, double loss, int workers) {
    }

    /**
     * @param sessionId  the session whose records are read
     * @param roundLoss  receives each batch's training loss points averaged over the workers, in iteration order
     * @param roundEnded called after each batch DL4J wrote on the driver (one per averaging round)
     */
    DriverRecords(String sessionId, Consumer<AveragedLoss> roundLoss, Runnable roundEnded) {
        this.sessionId = sessionId;
        this.roundLoss = roundLoss;
        this.roundEnded = roundEnded;
    }

    /** DL4J wrote one averaging round's records on the driver (ParameterAveragingTrainingMaster). */
    void roundEnded() {
        roundEnded.run();
    }

    /**
     * Reads one batch of updates (DL4J writes one batch per averaging round).
     *
     * @param updates the records
     */
    void accept(Collection<? extends Persistable> updates) {
        Map<Long, double[]> losses = new TreeMap<>();
        Map<Long, Integer> epochs = new TreeMap<>();
        synchronized (this) {
            for (Persistable p : updates) {
                if (!(p instanceof DebugRecord r) || r.isStaticInfo() || !sessionId.equals(r.getSessionID())) {
                    continue;
                }
                switch (r.kind()) {
                    case FINDING -> {
                        Finding f = r.payload(Finding.class);
                        findings.add(f.worker().isEmpty() ? f.withWorker(r.getWorkerID()) : f);
                        workers.add(r.getWorkerID());
                    }
                    case NON_FINITE -> {
                        NonFiniteEvent e = r.payload(NonFiniteEvent.class);
                        nonFinite.add(e.worker().isEmpty() ? e.withWorker(r.getWorkerID()) : e);
                        workers.add(r.getWorkerID());
                    }
                    case LOSS -> {
                        LossPoint point = r.payload(LossPoint.class);
                        workers.add(r.getWorkerID());
                        if (point.split() == LossPoint.Split.TRAIN && Double.isFinite(point.value())) {
                            double[] sum = losses.computeIfAbsent(point.iteration(), i -> new double[2]);
                            sum[0] += point.value();
                            sum[1]++;
                            epochs.put(point.iteration(), point.epoch());
                            epochLossSum += point.value();
                            epochLossCount++;
                        }
                    }
                    default -> workers.add(r.getWorkerID());
                }
            }
        }
        losses.forEach((it, sum) -> roundLoss.accept(new AveragedLoss(it, epochs.get(it), sum[0] / sum[1],
                (int) sum[1])));
    }

    /** @return every worker's findings so far, in arrival order, each carrying its worker */
    synchronized List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** @return the workers' NaN/Inf events, in arrival order */
    synchronized List<NonFiniteEvent> nonFinite() {
        return List.copyOf(nonFinite);
    }

    /** @return the first NaN/Inf event of any worker: the lowest iteration */
    synchronized Optional<NonFiniteEvent> firstNonFinite() {
        return nonFinite.stream().min(java.util.Comparator.comparingLong(NonFiniteEvent::iteration));
    }

    /** @return the IDs of the workers that sent records, sorted */
    synchronized SortedSet<String> workers() {
        return new TreeSet<>(workers);
    }

    /**
     * @return the mean of the workers' finite training-loss points since the previous call (the epoch's training
     *         loss), empty when none came; resets the sum
     */
    synchronized java.util.OptionalDouble takeEpochLoss() {
        if (epochLossCount == 0) {
            return java.util.OptionalDouble.empty();
        }
        double mean = epochLossSum / epochLossCount;
        epochLossSum = 0;
        epochLossCount = 0;
        return java.util.OptionalDouble.of(mean);
    }
}
