package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Orders findings most important first, the way the method reads them: by level (code, then numerical, then
 * optimization: fix the earliest level first), then severity (errors first), then by how close the symptom is to a
 * root cause ({@link CausalEdges#PRIORITY}, the one order derived from the cause → effect table), then by the
 * iteration where it was first seen. Stateless.
 */
public final class FindingOrder {

    /** Level, then severity, then {@link CausalEdges#PRIORITY}, then first iteration. */
    public static final Comparator<Finding> IMPORTANCE = Comparator
            .comparing((Finding f) -> f.level().ordinal())
            .thenComparing(f -> -f.severity().ordinal())
            .thenComparing(f -> CausalEdges.priority(f.symptom()))
            .thenComparingLong(Finding::firstIteration);

    private FindingOrder() {
    }

    /**
     * @param findings findings in any order
     * @return a new list, most important first
     */
    public static List<Finding> mostImportantFirst(Collection<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(IMPORTANCE);
        return sorted;
    }
}
