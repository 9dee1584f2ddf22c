package io.dl4jdebug.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * Configuration of the non-finite (NaN/Inf) detector.
 *
 * @param policy   what to do at the first non-finite value (default {@link NanPolicy#LOG}: a listener never breaks
 *                 training unless asked to)
 * @param schedule when to check the inputs, layer outputs, score and gradients (default every iteration; a coarser
 *                 schedule may miss the first iteration)
 * @param parameterSchedule when to check all parameters after the update on their own (default
 *                 {@link Schedule#defaults()}: each of the first 20 iterations, then every 10). The update moves
 *                 no value between layers and a finite gradient gives a finite update, so a parameter turns
 *                 non-finite almost only after a non-finite gradient, which the every-iteration gradient check
 *                 names first; and a bad parameter spoils the next forward pass, where the detector then checks
 *                 the failing layer's parameters and names the parameter. The scheduled check is the safety net for
 *                 a bad weight that a ReLU hides (NaN inputs to ReLU come out 0) and saves one pass over all
 *                 parameters on most iterations.
 */
public record NonFiniteConfig(NanPolicy policy, Schedule schedule, Schedule parameterSchedule)
        implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Validates the fields. */
    public NonFiniteConfig {
        Objects.requireNonNull(policy, "policy must not be null; valid: THROW, STOP, LOG");
        Objects.requireNonNull(schedule, "schedule must not be null");
        Objects.requireNonNull(parameterSchedule, "parameterSchedule must not be null");
    }

    /**
     * @param policy   what to do at the first non-finite value
     * @param schedule when to check inputs, outputs, score and gradients; parameters on {@link Schedule#defaults()}
     */
    public NonFiniteConfig(NanPolicy policy, Schedule schedule) {
        this(policy, schedule, Schedule.defaults());
    }

    /**
     * @return the defaults: policy LOG (training goes on), checked every iteration, parameters on their own on
     *         {@link Schedule#defaults()}
     */
    public static NonFiniteConfig defaults() {
        return new NonFiniteConfig(NanPolicy.LOG, Schedule.everyIteration());
    }

    /**
     * @param policy what to do at the first non-finite value
     * @return that policy, checked every iteration (parameters on their own on {@link Schedule#defaults()})
     */
    public static NonFiniteConfig of(NanPolicy policy) {
        return new NonFiniteConfig(policy, Schedule.everyIteration());
    }
}
