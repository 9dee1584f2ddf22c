package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns raw findings into a {@link Diagnosis}: detect → group → explain (the method's "find the cause"). In order:
 * findings that are wrong for this network's configuration are rewritten or dismissed ({@link Reinterpretation}),
 * contradictions are resolved ({@link Contradictions}), findings are grouped by symptom ({@link SymptomGroup}), each
 * group is folded under the earliest group that explains it through an edge of {@link CausalEdges} (time first, then
 * the layers' positions, then {@link CausalEdges#PRIORITY}), and every remaining root becomes an
 * {@link Incident} with a fix worded for this network ({@link FixAdvisor}). Incidents are ordered by severity, then
 * level (code, numerical, optimization), then first iteration. Plain Java; stateless.
 */
public final class Diagnostician {

    private Diagnostician() {
    }

    /**
     * @param findings the raw findings, in any order
     * @param facts    the network's configuration at iteration 0
     * @param loss     the training loss curve
     * @return the diagnosis (not verified)
     */
    public static Diagnosis diagnose(List<Finding> findings, NetworkFacts facts, LossSummary loss) {
        List<Dismissal> dismissed = new ArrayList<>();
        List<Finding> kept = Reinterpretation.apply(findings, facts, dismissed);
        kept = Contradictions.resolve(kept, loss, dismissed);
        List<SymptomGroup> groups = group(kept, facts);
        Map<SymptomGroup, SymptomGroup> parent = link(groups, facts);
        List<Incident> incidents = new ArrayList<>();
        for (SymptomGroup g : groups) {
            if (parent.containsKey(g)) {
                continue;
            }
            List<SymptomGroup> consequences = new ArrayList<>();
            for (SymptomGroup other : groups) {
                if (other != g && rootOf(other, parent) == g) {
                    consequences.add(other);
                }
            }
            FixAdvisor.Advice advice = FixAdvisor.advise(g, facts);
            incidents.add(new Incident(1, g, consequences, advice.remedies(), advice.advice(), null));
        }
        return new Diagnosis(Diagnosis.ordered(incidents), dismissed, loss);
    }

    private static List<SymptomGroup> group(List<Finding> findings, NetworkFacts facts) {
        Map<Symptom, List<Finding>> bySymptom = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (seen.add(f.identity())) {
                bySymptom.computeIfAbsent(f.symptom(), k -> new ArrayList<>()).add(f);
            }
        }
        List<SymptomGroup> groups = new ArrayList<>();
        bySymptom.values().forEach(list -> groups.add(SymptomGroup.of(list, facts)));
        groups.sort(Comparator.comparingLong(SymptomGroup::firstIteration)
                .thenComparingInt(Diagnostician::rank));
        return groups;
    }

    /**
     * The tie-break of groups that start at the same iteration: {@link CausalEdges#PRIORITY}, except that a
     * learning rate judged too high only from measured update:parameter ratios (no finding on the configured
     * rate itself) ranks right after exploding gradients. A huge gradient makes a huge update at any plausible rate,
     * so when both appear at once the ratio says nothing the gradient does not; a rate above its plausible maximum
     * (the checklist's configured-rate finding) still ranks first.
     */
    private static int rank(SymptomGroup g) {
        int priority = 2 * CausalEdges.priority(g.symptom());
        boolean measuredOnly = g.symptom() == Symptom.LEARNING_RATE_TOO_HIGH
                && g.findings().stream().allMatch(f -> f.evidence().containsKey("updateRatio"));
        return measuredOnly ? 2 * CausalEdges.priority(Symptom.EXPLODING_GRADIENT) + 1 : priority;
    }

    /** @return for each explained group, the group that explains it (always earlier in {@code groups}) */
    private static Map<SymptomGroup, SymptomGroup> link(List<SymptomGroup> groups, NetworkFacts facts) {
        Map<SymptomGroup, SymptomGroup> parent = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            SymptomGroup effect = groups.get(i);
            for (int j = 0; j < i; j++) {
                SymptomGroup cause = groups.get(j);
                boolean explains = CausalEdges.edge(cause.symptom(), effect.symptom())
                        .filter(e -> positionAllows(e.position(), cause, effect, facts)).isPresent();
                if (explains) {
                    parent.put(effect, cause);
                    break;
                }
            }
        }
        return parent;
    }

    private static SymptomGroup rootOf(SymptomGroup g, Map<SymptomGroup, SymptomGroup> parent) {
        SymptomGroup r = g;
        while (parent.containsKey(r)) {
            r = parent.get(r);
        }
        return r;
    }

    /**
     * @return true when some layer of the effect sits where the edge's position allows, relative to the cause's
     *         layers; always true when either side is global or a position is unknown
     */
    static boolean positionAllows(CausalEdges.Position position, SymptomGroup cause, SymptomGroup effect,
                                  NetworkFacts facts) {
        if (position == CausalEdges.Position.ANY || cause.layers().isEmpty() || effect.layers().isEmpty()) {
            return true;
        }
        int min = Integer.MAX_VALUE;
        int max = -1;
        for (String l : cause.layers()) {
            int p = facts.position(l);
            if (p < 0) {
                return true;
            }
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        for (String l : effect.layers()) {
            int p = facts.position(l);
            if (p < 0) {
                return true;
            }
            if (position == CausalEdges.Position.UPSTREAM ? p <= max + 1 : p >= min) {
                return true;
            }
        }
        return false;
    }
}
