package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.Objects;

/**
 * Scalar statistics of the activation gradients around one layer in one backward pass: the gradient arriving at its
 * output, dL/d(output), and the one it hands to the layer below, dL/d(input). DL4J's activation gradients are per
 * example (one row per example, not divided by the minibatch size); the norms are L2 norms over the whole array.
 *
 * @param layer                   the layer name
 * @param outputGradientSize      number of values in dL/d(output)
 * @param outputGradientNorm      L2 norm of dL/d(output) (not finite when {@code outputGradientNonFinite > 0})
 * @param outputGradientNonFinite NaN or infinite values in dL/d(output)
 * @param inputGradientSize       number of values in dL/d(input); 0 when the layer returned none (embeddings)
 * @param inputGradientNorm       L2 norm of dL/d(input), 0 when there is none
 * @param inputGradientNonFinite  NaN or infinite values in dL/d(input)
 */
public record BackwardStats(String layer, long outputGradientSize, double outputGradientNorm,
                            long outputGradientNonFinite, long inputGradientSize, double inputGradientNorm,
                            long inputGradientNonFinite) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public BackwardStats {
        Objects.requireNonNull(layer, "layer");
        if (outputGradientSize < 0 || inputGradientSize < 0) {
            throw new IllegalArgumentException("sizes must be >= 0 but were outputGradientSize=" + outputGradientSize
                    + ", inputGradientSize=" + inputGradientSize);
        }
        if (outputGradientNonFinite < 0 || outputGradientNonFinite > outputGradientSize) {
            throw new IllegalArgumentException("outputGradientNonFinite must be in [0, " + outputGradientSize
                    + "] but was " + outputGradientNonFinite);
        }
        if (inputGradientNonFinite < 0 || inputGradientNonFinite > inputGradientSize) {
            throw new IllegalArgumentException("inputGradientNonFinite must be in [0, " + inputGradientSize
                    + "] but was " + inputGradientNonFinite);
        }
    }

    /** @return true when the layer returned a gradient for its input */
    public boolean hasInputGradient() {
        return inputGradientSize > 0;
    }

    /** @return true when either gradient holds a NaN or infinite value */
    public boolean hasNonFinite() {
        return outputGradientNonFinite > 0 || inputGradientNonFinite > 0;
    }
}
