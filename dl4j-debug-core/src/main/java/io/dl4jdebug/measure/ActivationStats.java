package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.Objects;

/**
 * Scalar statistics of one layer's (or graph vertex's) output for one minibatch.
 *
 * @param layer        the layer or vertex name
 * @param activation   the activation function's name, or "none"
 * @param size         number of values in the output
 * @param mean         mean of the output values (NaN when a value is NaN: see {@code nonFinite})
 * @param std          population standard deviation of the output values
 * @param zeroFraction share of output values that are exactly zero
 * @param units        number of units (dense) or channels (convolution) in the output
 * @param deadUnits    units whose output is exactly zero for every example of the minibatch
 * @param saturation   saturation at the bounds of tanh, sigmoid and softsign outputs
 * @param nonFinite    number of NaN or infinite output values
 */
public record ActivationStats(String layer, String activation, long size, double mean, double std,
                              double zeroFraction, int units, int deadUnits, Saturation saturation, long nonFinite)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public ActivationStats {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(saturation, "saturation");
        if (size < 0 || units < 0 || deadUnits < 0 || nonFinite < 0) {
            throw new IllegalArgumentException("counts must be >= 0 but were size=" + size + ", units=" + units
                    + ", deadUnits=" + deadUnits + ", nonFinite=" + nonFinite);
        }
        if (deadUnits > units) {
            throw new IllegalArgumentException("deadUnits (" + deadUnits + ") must be <= units (" + units + ")");
        }
        if (!(zeroFraction >= 0 && zeroFraction <= 1)) {
            throw new IllegalArgumentException("zeroFraction must be in [0, 1] but was " + zeroFraction);
        }
    }

    /** @return share of units that are dead, 0 when the output has no units */
    public double deadUnitFraction() {
        return units == 0 ? 0 : (double) deadUnits / units;
    }

    /** @return share of units saturated for every example, 0 when saturation does not apply */
    public double saturatedUnitFraction() {
        return units == 0 ? 0 : (double) saturation.units() / units;
    }
}
