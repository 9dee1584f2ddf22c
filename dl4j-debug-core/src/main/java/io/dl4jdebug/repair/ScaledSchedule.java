package io.dl4jdebug.repair;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A learning-rate schedule times a constant factor: how a remedy that scales the rate keeps the network's own
 * {@link ISchedule} (Map, Step, Exponential, Inverse, Poly, Sigmoid, Cycle, Ramp or a user's type) instead of
 * replacing it by a fixed rate. Serialises with the configuration's JSON (ND4J's shaded Jackson, the wrapped
 * schedule as its own type). Immutable.
 */
public final class ScaledSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final ISchedule schedule;
    private final double factor;

    /**
     * @param schedule the schedule whose values are scaled
     * @param factor   the factor (> 0, finite)
     */
    public ScaledSchedule(@JsonProperty("schedule") ISchedule schedule, @JsonProperty("factor") double factor) {
        this.schedule = Objects.requireNonNull(schedule, "schedule must not be null");
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be > 0 and finite but was " + factor);
        }
        this.factor = factor;
    }

    /**
     * @param schedule a schedule, possibly already scaled
     * @param factor   the factor
     * @return the schedule scaled by factor (one wrapper: the factors of a scaled schedule multiply)
     */
    public static ScaledSchedule of(ISchedule schedule, double factor) {
        return schedule instanceof ScaledSchedule s ? new ScaledSchedule(s.schedule, s.factor * factor)
                : new ScaledSchedule(schedule, factor);
    }

    /** @return the wrapped schedule */
    @JsonProperty("schedule")
    public ISchedule schedule() {
        return schedule;
    }

    /** @return the factor */
    @JsonProperty("factor")
    public double factor() {
        return factor;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return factor * schedule.valueAt(iteration, epoch);
    }

    @Override
    public ISchedule clone() {
        return new ScaledSchedule(schedule.clone(), factor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledSchedule s && s.factor == factor && s.schedule.equals(schedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schedule, factor);
    }

    @Override
    public String toString() {
        return factor + " x " + schedule;
    }
}
