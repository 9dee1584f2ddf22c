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
 * @param examples     number of examples (minibatch size) {@code exampleStd} was measured over; 0 when it was not
 *                     measured
 * @param exampleStd   root mean square, over every unit and position, of the population standard deviation across
 *                     the examples of the minibatch: 0 when every example produced the same output (activation
 *                     collapse); 0 when not measured
 */
public record ActivationStats(String layer, String activation, long size, double mean, double std,
                              double zeroFraction, int units, int deadUnits, Saturation saturation, long nonFinite,
                              long examples, double exampleStd)
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
        if (examples < 0) {
            throw new IllegalArgumentException("examples must be >= 0 but was " + examples);
        }
        if (examples == 0 && exampleStd != 0) {
            throw new IllegalArgumentException("exampleStd must be 0 when not measured (examples = 0) but was "
                    + exampleStd);
        }
    }

    /**
     * Statistics without the across-example spread ({@code examples} and {@code exampleStd} are 0).
     *
     * @param layer        the layer or vertex name
     * @param activation   the activation function's name
     * @param size         number of values
     * @param mean         mean of the values
     * @param std          population standard deviation of the values
     * @param zeroFraction share of zeros
     * @param units        number of units
     * @param deadUnits    dead units
     * @param saturation   saturation
     * @param nonFinite    number of NaN or infinite values
     */
    public ActivationStats(String layer, String activation, long size, double mean, double std, double zeroFraction,
                           int units, int deadUnits, Saturation saturation, long nonFinite) {
        this(layer, activation, size, mean, std, zeroFraction, units, deadUnits, saturation, nonFinite, 0, 0);
    }

    /** @return true when the across-example spread was measured over at least two examples */
    public boolean exampleSpreadMeasured() {
        return examples >= 2;
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
