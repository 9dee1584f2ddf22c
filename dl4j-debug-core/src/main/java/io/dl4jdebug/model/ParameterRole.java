package io.dl4jdebug.model;

/** What a parameter array is for, which decides whether gradient statistics make sense for it. */
public enum ParameterRole {
    /** Learned by the updater from gradients: W, b, gamma, beta, RW, ... . */
    TRAINABLE,
    /**
     * A BatchNormalization running statistic (mean, var, log10stdev): updated by a moving average, its "gradient"
     * entry is a running-stat delta, so it is excluded from gradient and update statistics.
     */
    RUNNING_STATISTIC,
    /** Belongs to a frozen layer ({@code FrozenLayer}, {@code FrozenLayerWithBackprop}): never updated on purpose. */
    FROZEN
}
