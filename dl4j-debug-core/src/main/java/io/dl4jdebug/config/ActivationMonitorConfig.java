package io.dl4jdebug.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Configuration of the activation monitor.
 *
 * @param schedule               when to measure (default {@link Schedule#defaults()}: every iteration
 *                           for the first 20, then every 10)
 * @param deadUnitThreshold      share of dead units at which a layer is reported, in (0, 1] (default 0.5)
 * @param saturatedUnitThreshold share of saturated units at which a layer is reported, in (0, 1] (default 0.5)
 * @param patience               consecutive scheduled checks before a finding (default 2)
 * @param deadUnitMinValues      values per unit (examples times positions) a check must see before its dead units
 *                               are judged (default 32): a ReLU unit that fires for one input in ten is zero on all
 *                               4 examples of a small minibatch two times out of three without being dead
 */
public record ActivationMonitorConfig(Schedule schedule, double deadUnitThreshold, double saturatedUnitThreshold,
                                      int patience, long deadUnitMinValues) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields; messages name the field, the value and what is valid. */
    public ActivationMonitorConfig {
        Objects.requireNonNull(schedule, "schedule must not be null");
        if (!(deadUnitThreshold > 0 && deadUnitThreshold <= 1)) {
            throw new IllegalArgumentException("deadUnitThreshold must be in (0, 1] but was " + deadUnitThreshold);
        }
        if (!(saturatedUnitThreshold > 0 && saturatedUnitThreshold <= 1)) {
            throw new IllegalArgumentException("saturatedUnitThreshold must be in (0, 1] but was "
                    + saturatedUnitThreshold);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1 but was " + patience);
        }
        if (deadUnitMinValues < 1) {
            throw new IllegalArgumentException("deadUnitMinValues must be >= 1 but was " + deadUnitMinValues);
        }
    }

    /** @return the defaults */
    public static ActivationMonitorConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link ActivationMonitorConfig}; {@link #build()} validates. Not thread safe. */
    public static final class Builder {
        private Schedule schedule = Schedule.defaults();
        private double deadUnitThreshold = 0.5;
        private double saturatedUnitThreshold = 0.5;
        private int patience = 2;
        private long deadUnitMinValues = 32;

        private Builder() {
        }

        /**
         * @param schedule when to measure
         * @return this builder
         */
        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * @param deadUnitThreshold share of dead units at which a layer is reported
         * @return this builder
         */
        public Builder deadUnitThreshold(double deadUnitThreshold) {
            this.deadUnitThreshold = deadUnitThreshold;
            return this;
        }

        /**
         * @param saturatedUnitThreshold share of saturated units at which a layer is reported
         * @return this builder
         */
        public Builder saturatedUnitThreshold(double saturatedUnitThreshold) {
            this.saturatedUnitThreshold = saturatedUnitThreshold;
            return this;
        }

        /**
         * @param patience consecutive checks before a finding
         * @return this builder
         */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * @param deadUnitMinValues values per unit a check must see before its dead units are judged
         * @return this builder
         */
        public Builder deadUnitMinValues(long deadUnitMinValues) {
            this.deadUnitMinValues = deadUnitMinValues;
            return this;
        }

        /** @return the validated configuration */
        public ActivationMonitorConfig build() {
            return new ActivationMonitorConfig(schedule, deadUnitThreshold, saturatedUnitThreshold, patience,
                    deadUnitMinValues);
        }
    }
}
