package io.dl4jdebug.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Configuration of the non-finite (NaN/Inf) detector.
 *
 * @param policy   what to do at the first non-finite value (default {@link NanPolicy#LOG}: a listener never breaks
 *                 training unless asked to)
 * @param schedule when to check (default every iteration; a coarser schedule may miss the first iteration)
 */
public record NonFiniteConfig(NanPolicy policy, Schedule schedule) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public NonFiniteConfig {
        Objects.requireNonNull(policy, "policy must not be null; valid: THROW, STOP, LOG");
        Objects.requireNonNull(schedule, "schedule must not be null");
    }

    /** @return the defaults: policy LOG (training goes on), checked every iteration */
    public static NonFiniteConfig defaults() {
        return new NonFiniteConfig(NanPolicy.LOG, Schedule.everyIteration());
    }

    /**
     * @param policy what to do at the first non-finite value
     * @return that policy, checked every iteration
     */
    public static NonFiniteConfig of(NanPolicy policy) {
        return new NonFiniteConfig(policy, Schedule.everyIteration());
    }
}
