package io.dl4jdebug.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Configuration of the gradient monitor.
 *
 * @param schedule           when to measure (default {@link Schedule#defaults()}: every iteration
 *                           for the first 20, then every 10)
 * @param vanishingThreshold per-example gradient L2 norm below which a gradient vanishes (default 1e-6, the
 *                           method's value)
 * @param explodingThreshold per-example gradient L2 norm above which a gradient explodes (default 100)
 * @param patience           consecutive scheduled checks before a finding (default 2)
 */
public record GradientMonitorConfig(Schedule schedule, double vanishingThreshold, double explodingThreshold,
                                    int patience) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields; messages name the field, the value and what is valid. */
    public GradientMonitorConfig {
        Objects.requireNonNull(schedule, "schedule must not be null");
        if (!(vanishingThreshold > 0) || Double.isInfinite(vanishingThreshold)) {
            throw new IllegalArgumentException("vanishingThreshold must be a finite number > 0 but was "
                    + vanishingThreshold);
        }
        if (!(explodingThreshold > vanishingThreshold) || Double.isInfinite(explodingThreshold)) {
            throw new IllegalArgumentException("explodingThreshold must be finite and > vanishingThreshold ("
                    + vanishingThreshold + ") but was " + explodingThreshold);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1 but was " + patience);
        }
    }

    /** @return the defaults */
    public static GradientMonitorConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link GradientMonitorConfig}; {@link #build()} validates. Not thread safe. */
    public static final class Builder {
        private Schedule schedule = Schedule.defaults();
        private double vanishingThreshold = 1e-6;
        private double explodingThreshold = 100;
        private int patience = 2;

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
         * @param vanishingThreshold norms below it vanish
         * @return this builder
         */
        public Builder vanishingThreshold(double vanishingThreshold) {
            this.vanishingThreshold = vanishingThreshold;
            return this;
        }

        /**
         * @param explodingThreshold norms above it explode
         * @return this builder
         */
        public Builder explodingThreshold(double explodingThreshold) {
            this.explodingThreshold = explodingThreshold;
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

        /** @return the validated configuration */
        public GradientMonitorConfig build() {
            return new GradientMonitorConfig(schedule, vanishingThreshold, explodingThreshold, patience);
        }
    }
}
