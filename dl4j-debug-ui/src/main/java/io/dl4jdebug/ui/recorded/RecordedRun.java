package io.dl4jdebug.ui.recorded;

import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ParameterInfo;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A training run as DL4J's {@code StatsListener} recorded it: one session and worker of a {@code StatsStorage}, its
 * reports in iteration order and what the network's configuration (stored in StatsListener's initialisation report)
 * says about its layers and parameters.
 *
 * @param source         where it was read from (the file's path, or a description of the storage)
 * @param sessionId      the StatsListener session ID
 * @param workerId       the StatsListener worker ID
 * @param modelClass     the model's class name as StatsListener stored it, "" when no model information was stored
 * @param layers         the network's layers in topological order, rebuilt from the stored configuration; empty when
 *                       the configuration was not stored or could not be read (see {@code modelNote})
 * @param facts          the configuration facts of those layers ({@link NetworkFacts#unknown()} when empty)
 * @param modelNote      why the layers are unknown, "" when they are known
 * @param otherSessions  other sessions of the storage holding StatsListener records (not read)
 * @param otherWorkers   other StatsListener workers of this session (ParallelWrapper replicas; not read)
 * @param reports        the reports, in iteration order
 */
public record RecordedRun(String source, String sessionId, String workerId, String modelClass, List<LayerInfo> layers,
                          NetworkFacts facts, String modelNote, List<String> otherSessions,
                          List<String> otherWorkers, List<RecordedReport> reports) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the lists. */
    public RecordedRun {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(modelClass, "modelClass");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(modelNote, "modelNote");
        layers = List.copyOf(layers);
        otherSessions = List.copyOf(otherSessions);
        otherWorkers = List.copyOf(otherWorkers);
        reports = List.copyOf(reports);
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("a recorded run needs at least one StatsListener report");
        }
    }

    /**
     * @return the reporting frequency: the smallest gap between two consecutive reporting iterations (1 for a run
     *         with a single report)
     */
    public int reportingFrequency() {
        long gap = Long.MAX_VALUE;
        for (int i = 1; i < reports.size(); i++) {
            long d = reports.get(i).iteration() - reports.get(i - 1).iteration();
            if (d > 0) {
                gap = Math.min(gap, d);
            }
        }
        return gap == Long.MAX_VALUE ? 1 : (int) Math.min(Integer.MAX_VALUE, gap);
    }

    /** @return the last reporting iteration */
    public long lastIteration() {
        return reports.get(reports.size() - 1).iteration();
    }

    /** @return the mean minibatch size over the run, empty without performance statistics */
    public OptionalDouble minibatchSize() {
        return reports.get(reports.size() - 1).meanMinibatchSize();
    }

    /**
     * @param flatKey StatsListener's parameter key ({@code 0_W}, {@code dense1_W})
     * @return the parameter, empty when the layers are unknown or no parameter has that key
     */
    public Optional<ParameterInfo> parameter(String flatKey) {
        for (LayerInfo l : layers) {
            for (ParameterInfo p : l.parameters()) {
                if (p.flatKey().equals(flatKey)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param activationKey StatsListener's activation key: the layer index in a MultiLayerNetwork, the vertex name in
     *                      a ComputationGraph ({@code input} for the network input)
     * @return the layer whose output it is, empty for the input or when unknown
     */
    public Optional<LayerInfo> activationLayer(String activationKey) {
        boolean multiLayer = modelClass.endsWith("MultiLayerNetwork");
        for (LayerInfo l : layers) {
            if (multiLayer ? String.valueOf(l.position()).equals(activationKey) : l.name().equals(activationKey)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
