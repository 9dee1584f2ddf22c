package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Scalar statistics of one trainable parameter array at one iteration.
 *
 * @param layer               the layer name
 * @param key                 the DL4J parameter key ({@code W}, {@code b}, {@code gamma}, ...)
 * @param parameterNorm       L2 norm of the parameter after the update
 * @param gradientNorm        L2 norm of the raw gradient divided by the minibatch size (DL4J's raw gradient is a sum
 *                            over the minibatch; this is the per-example gradient a PyTorch user would see)
 * @param updateNorm          L2 norm of the update the updater applied (learning rate, momentum, clipping and
 *                            regularization included)
 * @param nonFiniteGradients  number of NaN or infinite values in the raw gradient
 * @param nonFiniteParameters number of NaN or infinite values in the parameter after the update
 */
public record ParameterStats(String layer, String key, double parameterNorm, double gradientNorm, double updateNorm,
                             long nonFiniteGradients, long nonFiniteParameters) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public ParameterStats {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(key, "key");
        if (nonFiniteGradients < 0 || nonFiniteParameters < 0) {
            throw new IllegalArgumentException("non-finite counts must be >= 0 but were " + nonFiniteGradients
                    + " and " + nonFiniteParameters);
        }
    }

    /**
     * @return the update:parameter ratio (update norm over parameter norm; about 1e-3 is healthy), empty when the
     *         parameter norm is zero or either norm is not finite
     */
    public OptionalDouble updateRatio() {
        if (parameterNorm == 0 || !Double.isFinite(parameterNorm) || !Double.isFinite(updateNorm)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(updateNorm / parameterNorm);
    }

    /** @return "layer/key" */
    public String displayName() {
        return layer + "/" + key;
    }
}
