package io.dl4jdebug.preflight;

import java.io.Serializable;
import java.util.Objects;

/**
 * One simplified network that bisection trained: the first {@code segmentsKept} segments of the user's network with
 * a fresh output head.
 *
 * @param segmentsKept how many segments it kept (0: the head directly on the inputs)
 * @param lastSegment  the last segment kept, or null when none was kept
 * @param result       how it did on the minimal example
 */
public record BisectionTrial(int segmentsKept, Segment lastSegment, OverfitResult result) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public BisectionTrial {
        if (segmentsKept < 0) {
            throw new IllegalArgumentException("segmentsKept must be >= 0 but was " + segmentsKept);
        }
        Objects.requireNonNull(result, "result");
    }
}
