package io.dl4jdebug.preflight;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one kernel probe: whether a tiny set of ND4J operations ran on the backend and gave the numbers
 * plain Java computes. Build through {@link #passed}, {@link #failed} or {@link #notRun}, which require a reason.
 *
 * @param outcome  what happened
 * @param detail   one human sentence: which operations ran and what was seen, or why they failed
 * @param evidence the numbers behind it (seconds, exit code, timeout, largest error), in insertion order
 */
public record KernelProbeResult(Outcome outcome, String detail, Map<String, Double> evidence)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What a kernel probe saw. */
    public enum Outcome {
        /** Every operation ran and gave the expected numbers. */
        PASSED,
        /** An operation threw, gave wrong numbers, or the child JVM crashed or timed out: the backend is unusable. */
        FAILED,
        /** The probe itself could not start (no java executable, interrupted): nothing is known about the backend. */
        NOT_RUN
    }

    /** Validates the fields and copies the evidence. */
    public KernelProbeResult {
        Objects.requireNonNull(outcome, "outcome");
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("a kernel probe result needs a detail");
        }
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /**
     * @param detail   which operations ran
     * @param evidence the numbers
     * @return a passed result
     */
    public static KernelProbeResult passed(String detail, Map<String, Double> evidence) {
        return new KernelProbeResult(Outcome.PASSED, detail, evidence);
    }

    /**
     * @param detail   what failed, with the numbers or the error
     * @param evidence the numbers
     * @return a failed result
     */
    public static KernelProbeResult failed(String detail, Map<String, Double> evidence) {
        return new KernelProbeResult(Outcome.FAILED, detail, evidence);
    }

    /**
     * @param detail   why the probe could not start
     * @param evidence the numbers
     * @return a result that says nothing about the backend
     */
    public static KernelProbeResult notRun(String detail, Map<String, Double> evidence) {
        return new KernelProbeResult(Outcome.NOT_RUN, detail, evidence);
    }

    /** @return true when every operation ran and gave the expected numbers */
    public boolean isPassed() {
        return outcome == Outcome.PASSED;
    }
}
