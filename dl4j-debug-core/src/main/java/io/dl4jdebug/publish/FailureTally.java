package io.dl4jdebug.publish;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts the failures of the parts that must never break training (sinks, listeners, layer wrappers), by name:
 * the first failure of a part is logged at WARN by its owner and the later ones at DEBUG, so without a count a part
 * that failed at every iteration looks like one that failed once. {@link #logSummary()} says each count in one WARN
 * line at close; the JSON report writes them as {@code "failures"}. Thread safe.
 */
public final class FailureTally {

    private static final Logger LOG = LoggerFactory.getLogger(FailureTally.class);

    /**
     * The failures of one part.
     *
     * @param name         the part, e.g. {@code "sink 'dashboard'"} or {@code "GradientMonitor"}
     * @param count        how many times it failed (>= 1)
     * @param firstWhere   where it failed first (a callback or pass)
     * @param firstMessage the first exception as {@code "Type: message"}
     */
    public record Failure(String name, long count, String firstWhere, String firstMessage) {

        /** Validates the fields. */
        public Failure {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(firstWhere, "firstWhere must not be null");
            Objects.requireNonNull(firstMessage, "firstMessage must not be null");
            if (count < 1) {
                throw new IllegalArgumentException("count must be >= 1 but was " + count);
            }
        }

        /** @return e.g. "sink 'dashboard' failed 32 times (first: in onScore: IllegalStateException: offline)" */
        public String describe() {
            return name + " failed " + count + (count == 1 ? " time" : " times") + " (first: in " + firstWhere + ": "
                    + firstMessage + ")";
        }
    }

    private final Map<String, Failure> byName = new LinkedHashMap<>();

    /**
     * Counts one failure.
     *
     * @param name  the part that failed
     * @param where the callback or pass it failed in
     * @param error what it threw
     * @return true when this is the part's first failure (its owner logs that one at WARN)
     */
    public synchronized boolean record(String name, String where, Throwable error) {
        Failure previous = byName.get(name);
        if (previous == null) {
            byName.put(name, new Failure(name, 1, where, describe(error)));
            return true;
        }
        byName.put(name, new Failure(name, previous.count() + 1, previous.firstWhere(), previous.firstMessage()));
        return false;
    }

    /** @return the failures so far, one per part, in the order of their first failure */
    public synchronized List<Failure> failures() {
        return List.copyOf(new ArrayList<>(byName.values()));
    }

    /** @return how many times the part of that name failed (0 when never) */
    public synchronized long count(String name) {
        Failure f = byName.get(name);
        return f == null ? 0 : f.count();
    }

    /** Logs one WARN line per part that failed: its name, the count and the first failure. */
    public void logSummary() {
        for (Failure f : failures()) {
            LOG.warn("dl4j-debug: {}", f.describe());
        }
    }

    private static String describe(Throwable error) {
        if (error == null) {
            return "(no exception)";
        }
        String message = error.getMessage();
        String text = error.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }
}
