package io.dl4jdebug.listener;

import io.dl4jdebug.measure.NonFiniteEvent;

/**
 * Thrown out of {@code fit} by a {@link NonFiniteDetector} with policy {@code THROW}: carries where the first NaN or
 * infinite value appeared (iteration, kind, layer, parameter, count).
 */
public class NonFiniteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final NonFiniteEvent event;

    /**
     * @param event where the first non-finite value appeared
     */
    public NonFiniteException(NonFiniteEvent event) {
        super("dl4j-debug: " + event.describe() + ". Training stopped (NanPolicy.THROW).");
        this.event = event;
    }

    /** @return where the first non-finite value appeared */
    public NonFiniteEvent event() {
        return event;
    }
}
