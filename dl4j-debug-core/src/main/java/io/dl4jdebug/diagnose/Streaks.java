package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Counts consecutive checks on which a condition held, per key, so that a rule fires only after {@code patience}
 * checks in a row and only once per key. Memory grows with the number of distinct keys (layers x parameters), not
 * with iterations. Not thread safe.
 */
public final class Streaks implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int patience;
    private final Map<String, long[]> running = new HashMap<>();
    private final Set<String> reported = new HashSet<>();

    /**
     * @param patience consecutive checks needed, at least 1
     */
    public Streaks(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1 but was " + patience);
        }
        this.patience = patience;
    }

    /**
     * Records one check of a key.
     *
     * @param key       what is checked (symptom, layer, parameter)
     * @param holds     whether the condition held at this check
     * @param iteration the iteration of the check
     * @return the iteration where the streak began when it reaches the patience for the first time for this key;
     *         empty otherwise
     */
    public OptionalLong record(String key, boolean holds, long iteration) {
        if (!holds) {
            running.remove(key);
            return OptionalLong.empty();
        }
        long[] streak = running.computeIfAbsent(key, k -> new long[] {iteration, 0});
        streak[1]++;
        if (streak[1] >= patience && reported.add(key)) {
            return OptionalLong.of(streak[0]);
        }
        return OptionalLong.empty();
    }
}
