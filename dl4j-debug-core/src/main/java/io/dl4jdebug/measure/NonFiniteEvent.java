package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where the first NaN or infinite value of a run appeared.
 *
 * @param iteration the iteration (0-based)
 * @param epoch     the epoch (0-based)
 * @param kind      what held it: input, activation, score, gradient or parameter
 * @param layer     the first layer (in topological order) that held it; for {@link Kind#INPUT} the input's name,
 *                  for {@link Kind#SCORE} the output layer
 * @param parameter the parameter key for gradients and parameters, null otherwise
 * @param count     how many values were NaN or infinite in that array
 * @param total     how many values the array has
 */
public record NonFiniteEvent(long iteration, int epoch, Kind kind, String layer, String parameter, long count,
                             long total) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public NonFiniteEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(layer, "layer");
        if (count < 1 || total < count) {
            throw new IllegalArgumentException("need 1 <= count <= total but got count=" + count + ", total=" + total);
        }
    }

    /** What held the non-finite value, in the order DL4J computes them within one iteration. */
    public enum Kind {
        /** The network's input features. */
        INPUT,
        /** A layer's output in the forward pass. */
        ACTIVATION,
        /** The loss. */
        SCORE,
        /** The raw gradient of a parameter (backward pass). */
        GRADIENT,
        /** A parameter after the update. */
        PARAMETER
    }

    /** @return one sentence naming iteration, kind, layer, parameter and counts */
    public String describe() {
        if (kind == Kind.SCORE) {
            return "first non-finite value at iteration " + iteration + " (epoch " + epoch + "): the score (loss) "
                    + "of output layer '" + layer + "' is NaN/Inf";
        }
        return "first non-finite value at iteration " + iteration + " (epoch " + epoch + "): " + count + " of "
                + total + " values NaN/Inf in the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " of "
                + (kind == Kind.INPUT ? "input '" : "layer '") + layer + "'"
                + (parameter == null ? "" : ", parameter '" + parameter + "'");
    }
}
