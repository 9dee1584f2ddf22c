package io.dl4jdebug.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Configuration of the layer wrappers of one probe session.
 *
 * @param policy        what to do at the first non-finite value a wrapper finds (default {@link NanPolicy#LOG}: the
 *                      wrappers never break training unless asked to)
 * @param checkSchedule when the wrappers check outputs and activation gradients for NaN/Inf (default every
 *                      iteration; one sum per array, and none extra on iterations whose statistics are measured)
 * @param statsSchedule when the wrappers measure full output and activation-gradient statistics (default
 *                      {@link Schedule#defaults()}: every iteration for the first 20, then every 10; the non-finite
 *                      check comes from the same reductions)
 */
public record LayerProbeConfig(NanPolicy policy, Schedule checkSchedule, Schedule statsSchedule)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields; messages name the field and what is valid. */
    public LayerProbeConfig {
        Objects.requireNonNull(policy, "policy must not be null; valid: THROW, STOP, LOG");
        Objects.requireNonNull(checkSchedule, "checkSchedule must not be null");
        Objects.requireNonNull(statsSchedule, "statsSchedule must not be null");
    }

    /** @return the defaults */
    public static LayerProbeConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link LayerProbeConfig}; {@link #build()} validates. Not thread safe. */
    public static final class Builder {
        private NanPolicy policy = NanPolicy.LOG;
        private Schedule checkSchedule = Schedule.everyIteration();
        private Schedule statsSchedule = Schedule.defaults();

        private Builder() {
        }

        /**
         * @param policy what to do at the first non-finite value
         * @return this builder
         */
        public Builder policy(NanPolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * @param checkSchedule when to check for NaN/Inf
         * @return this builder
         */
        public Builder checkSchedule(Schedule checkSchedule) {
            this.checkSchedule = checkSchedule;
            return this;
        }

        /**
         * @param statsSchedule when to measure full statistics
         * @return this builder
         */
        public Builder statsSchedule(Schedule statsSchedule) {
            this.statsSchedule = statsSchedule;
            return this;
        }

        /** @return the validated configuration */
        public LayerProbeConfig build() {
            return new LayerProbeConfig(policy, checkSchedule, statsSchedule);
        }
    }
}
