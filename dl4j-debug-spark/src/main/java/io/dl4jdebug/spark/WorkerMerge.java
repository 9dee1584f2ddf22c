package io.dl4jdebug.spark;

import io.dl4jdebug.diagnose.Finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Merges the findings of several workers: the same finding (symptom, layer and parameter) made by several workers
 * becomes one finding that names them, so the diagnosis counts a symptom once however many workers saw it. The
 * merged finding is the worst of them (highest severity, then earliest), with the earliest first iteration, its
 * worker field listing the workers (sorted, comma-separated) and its message ending with them, e.g.
 * {@code "(on 2 workers: a_0, a_1; first at iteration 12 on a_1)"}. A finding only one worker made is kept as it is
 * (it names its worker). Findings the driver made itself (empty worker) merge with the workers' but add no name.
 * Stateless.
 */
public final class WorkerMerge {

    private WorkerMerge() {
    }

    /**
     * @param findings findings of any workers, in any order
     * @return one finding per identity, in the order each identity first appeared
     */
    public static List<Finding> merge(List<Finding> findings) {
        Map<String, List<Finding>> byIdentity = new LinkedHashMap<>();
        for (Finding f : findings) {
            byIdentity.computeIfAbsent(f.identity(), k -> new ArrayList<>()).add(f);
        }
        List<Finding> merged = new ArrayList<>(byIdentity.size());
        for (List<Finding> same : byIdentity.values()) {
            merged.add(mergeSame(same));
        }
        return merged;
    }

    private static Finding mergeSame(List<Finding> same) {
        Finding earliest = same.stream().min(Comparator.comparingLong(Finding::firstIteration)).orElseThrow();
        Finding worst = same.stream().max(Comparator.comparing(Finding::severity)
                .thenComparing(Comparator.comparingLong(Finding::firstIteration).reversed())).orElseThrow();
        TreeSet<String> workers = new TreeSet<>();
        for (Finding f : same) {
            if (!f.worker().isEmpty()) {
                workers.addAll(List.of(f.worker().split(", ")));
            }
        }
        if (workers.size() <= 1) {
            return same.size() == 1 ? same.get(0) : withFirst(worst, earliest.firstIteration(), worst.message(),
                    workers.isEmpty() ? "" : workers.first());
        }
        String message = worst.message() + " (on " + workers.size() + " workers: " + String.join(", ", workers)
                + "; first at iteration " + earliest.firstIteration()
                + (earliest.worker().isEmpty() ? "" : " on " + earliest.worker()) + ")";
        return withFirst(worst, earliest.firstIteration(), message, String.join(", ", workers));
    }

    private static Finding withFirst(Finding f, long firstIteration, String message, String worker) {
        return new Finding(f.symptom(), f.severity(), f.level(), message, f.layer(), f.parameter(), firstIteration,
                f.evidence(), f.suggestions(), worker);
    }

    /**
     * @param finding a merged finding
     * @return the workers it names (empty for a driver-only finding)
     */
    public static List<String> workers(Finding finding) {
        return finding.worker().isEmpty() ? List.of() : List.of(finding.worker().split(", "));
    }
}
