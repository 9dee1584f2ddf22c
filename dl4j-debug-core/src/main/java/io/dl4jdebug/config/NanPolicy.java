package io.dl4jdebug.config;

/** What the non-finite detector does at the first NaN or infinite value. */
public enum NanPolicy {
    /** Throw a {@code NonFiniteException} out of {@code fit}, before the parameters are updated when possible. */
    THROW,
    /**
     * Let the current iteration finish, then end training cleanly: iterators wrapped by the detector's
     * {@code guard(...)} report no more data, so {@code fit} returns.
     */
    STOP,
    /** Report the first occurrence and keep training. */
    LOG
}
