package io.dl4jdebug.measure;

import java.io.Serializable;

/**
 * How much of a bounded activation's output sits at its bounds (within 1 % of the output range).
 *
 * @param applies  false when the activation is unbounded (ReLU, identity, ...); the other fields are then 0
 * @param fraction share of all output values within 1 % of a bound
 * @param units    number of units (or channels) whose outputs are within 1 % of a bound (either one) for every
 *                 example of the batch
 */
public record Saturation(boolean applies, double fraction, int units) implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Saturation NOT_APPLICABLE = new Saturation(false, 0, 0);

    /** Validates the fields. */
    public Saturation {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1] but was " + fraction);
        }
        if (units < 0) {
            throw new IllegalArgumentException("units must be >= 0 but was " + units);
        }
        if (!applies && (fraction != 0 || units != 0)) {
            throw new IllegalArgumentException("a saturation that does not apply must have fraction 0 and units 0");
        }
    }

    /** @return the value for unbounded activations */
    public static Saturation notApplicable() {
        return NOT_APPLICABLE;
    }

    /**
     * @param fraction share of values at a bound
     * @param units    units at a bound for every example
     * @return a measured saturation
     */
    public static Saturation measured(double fraction, int units) {
        return new Saturation(true, fraction, units);
    }
}
