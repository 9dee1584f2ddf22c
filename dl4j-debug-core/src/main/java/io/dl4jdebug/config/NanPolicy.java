package io.dl4jdebug.config;

/**
 * What the non-finite detector (and the layer wrappers' probe session) does at the first NaN or infinite value.
 * {@link #LOG} is the default everywhere ({@code DebugConfig}, {@code NonFiniteConfig}, {@code DebugSuite},
 * {@code LayerProbeConfig}): a monitoring library changes training only when asked to.
 */
public enum NanPolicy {
    /** Throw a {@code NonFiniteException} out of {@code fit}, before the parameters are updated when possible. */
    THROW,
    /**
     * Let the current iteration finish, then end training cleanly: iterators wrapped by the detector's
     * {@code guard(...)} report no more data, so {@code fit} returns. Without a guarded iterator nothing can end
     * {@code fit}: training goes on, and the first event logs one warning naming {@code guard(iterator)}.
     */
    STOP,
    /** Report the first occurrence and keep training (the default). */
    LOG
}
