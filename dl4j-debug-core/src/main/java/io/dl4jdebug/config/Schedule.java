package io.dl4jdebug.config;

import java.io.Serializable;

/**
 * When a monitor measures: every iteration for the first {@code denseIterations} iterations, then every
 * {@code every}-th iteration (iteration 0 always).
 *
 * <p><b>Why dense at the start.</b> The first iterations are where transient trouble happens: a network initialised
 * with far too large weights explodes for a handful of iterations and then goes dead; with statistics every 10
 * iterations and a patience of 2 checks the explosion is never seen, only its aftermath. The default
 * ({@link #defaults()}: every iteration for the first {@value #DEFAULT_DENSE_ITERATIONS}, then every
 * {@value #DEFAULT_EVERY}) measures densely while it matters and sparsely once training has settled, as Cockpit
 * schedules its quantities; the rules' patience counts measured iterations, so two consecutive checks early on are
 * two consecutive iterations. The dense start costs about as much as {@value #DEFAULT_DENSE_ITERATIONS} measured
 * iterations once per run.
 *
 * @param every           the period in iterations after the dense start, at least 1
 * @param denseIterations iterations {@code 0 .. denseIterations-1} are all measured; 0 for none
 */
public record Schedule(int every, int denseIterations) implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Iterations measured one by one at the start by {@link #defaults()}. */
    public static final int DEFAULT_DENSE_ITERATIONS = 20;
    /** The period after the dense start in {@link #defaults()}. */
    public static final int DEFAULT_EVERY = 10;

    /** Validates the period and the dense start. */
    public Schedule {
        if (every < 1) {
            throw new IllegalArgumentException("schedule period 'every' must be >= 1 but was " + every);
        }
        if (denseIterations < 0) {
            throw new IllegalArgumentException("schedule 'denseIterations' must be >= 0 (0: no dense start) but was "
                    + denseIterations);
        }
    }

    /**
     * @return the monitors' default: every iteration for the first {@value #DEFAULT_DENSE_ITERATIONS}, then every
     *         {@value #DEFAULT_EVERY}
     */
    public static Schedule defaults() {
        return new Schedule(DEFAULT_EVERY, DEFAULT_DENSE_ITERATIONS);
    }

    /**
     * @param every the period in iterations, at least 1
     * @return a schedule due at iterations 0, every, 2*every, ... (no dense start)
     */
    public static Schedule every(int every) {
        return new Schedule(every, 0);
    }

    /**
     * @param denseIterations iterations measured one by one at the start, at least 0
     * @param every           the period afterwards, at least 1
     * @return a schedule due at 0, 1, ..., denseIterations-1, then at the multiples of {@code every}
     */
    public static Schedule denseThenEvery(int denseIterations, int every) {
        return new Schedule(every, denseIterations);
    }

    /** @return a schedule due at every iteration */
    public static Schedule everyIteration() {
        return new Schedule(1, 0);
    }

    /**
     * @param iteration a 0-based iteration
     * @return true when the monitor measures at that iteration
     */
    public boolean isDue(long iteration) {
        return iteration < denseIterations || iteration % every == 0;
    }

    /** @return the schedule in words, e.g. "every iteration until 19, then every 10" */
    public String describe() {
        String period = every == 1 ? "every iteration" : "every " + every + " iterations";
        return denseIterations > 0 && every > 1
                ? "every iteration until " + (denseIterations - 1) + ", then " + period : period;
    }
}
