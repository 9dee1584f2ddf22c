package io.dl4jdebug.ui.recorded;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One report of DL4J's {@code StatsListener}, as plain values: what it stored at one reporting iteration. Maps are
 * keyed as StatsListener keys them: parameters by flat key ({@code 0_W} in a MultiLayerNetwork, {@code dense1_W} in a
 * ComputationGraph), activations by {@code input} and the layer index ({@code 0}, {@code 1}, ...) or the vertex name.
 * A statistic StatsListener was configured not to collect is an empty map.
 *
 * <p>What the numbers are (read in {@code BaseStatsListener} of 1.0.0-M2.1): mean magnitudes are {@code norm1 /
 * length}; parameters and updates are measured in {@code iterationDone} of the report's iteration (the update is the
 * step the updater applied); gradients are the raw gradient (a <em>sum</em> over the minibatch) measured in
 * {@code onGradientCalculation} of the iteration after the previous report (up to frequency - 1 iterations older);
 * activations likewise in {@code onForwardPass}.
 *
 * @param iteration        the reporting iteration (0-based, DL4J's count)
 * @param timestamp        the report's time stamp in milliseconds
 * @param score            the minibatch score (may be NaN or infinite)
 * @param parameters       mean magnitude of each parameter
 * @param gradients        mean magnitude of each raw gradient
 * @param updates          mean magnitude of each applied update
 * @param learningRates    the learning rate of each parameter at this iteration
 * @param activationMean   mean of each layer output
 * @param activationStdev  standard deviation of each layer output
 * @param activationMagnitude mean magnitude of each layer output
 * @param totalExamples    examples trained so far (0 when performance statistics were not collected)
 * @param totalMinibatches minibatches trained so far (0 when performance statistics were not collected)
 */
public record RecordedReport(long iteration, long timestamp, double score, Map<String, Double> parameters,
                             Map<String, Double> gradients, Map<String, Double> updates,
                             Map<String, Double> learningRates, Map<String, Double> activationMean,
                             Map<String, Double> activationStdev, Map<String, Double> activationMagnitude,
                             long totalExamples, long totalMinibatches) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the counts and copies the maps. */
    public RecordedReport {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0 but was " + iteration);
        }
        if (totalExamples < 0 || totalMinibatches < 0) {
            throw new IllegalArgumentException("example and minibatch counts must be >= 0 but were " + totalExamples
                    + ", " + totalMinibatches);
        }
        parameters = copy(parameters);
        gradients = copy(gradients);
        updates = copy(updates);
        learningRates = copy(learningRates);
        activationMean = copy(activationMean);
        activationStdev = copy(activationStdev);
        activationMagnitude = copy(activationMagnitude);
    }

    private static Map<String, Double> copy(Map<String, Double> m) {
        // Map.copyOf refuses null values; StatsListener never stores any, a null map is "not collected"
        return m == null ? Map.of() : Map.copyOf(Objects.requireNonNull(m));
    }

    /** @return the mean minibatch size so far (examples / minibatches), empty without performance statistics */
    public OptionalDouble meanMinibatchSize() {
        return totalMinibatches > 0 && totalExamples > 0
                ? OptionalDouble.of((double) totalExamples / totalMinibatches) : OptionalDouble.empty();
    }
}
