package io.dl4jdebug.config;

import java.io.Serializable;

/**
 * When a monitor measures: every {@code every}-th iteration, starting with iteration 0.
 *
 * @param every the period in iterations, at least 1
 */
public record Schedule(int every) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the period. */
    public Schedule {
        if (every < 1) {
            throw new IllegalArgumentException("schedule period 'every' must be >= 1 but was " + every);
        }
    }

    /**
     * @param every the period in iterations, at least 1
     * @return a schedule due at iterations 0, every, 2*every, ...
     */
    public static Schedule every(int every) {
        return new Schedule(every);
    }

    /** @return a schedule due at every iteration */
    public static Schedule everyIteration() {
        return new Schedule(1);
    }

    /**
     * @param iteration a 0-based iteration
     * @return true when the monitor measures at that iteration
     */
    public boolean isDue(long iteration) {
        return iteration % every == 0;
    }
}
