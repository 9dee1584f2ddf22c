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
 * group is folded under the earliest group that explains it through an edge of {@link CausalEdges} that holds for
 * this network (time first, then the layers' positions, then {@link CausalEdges#PRIORITY}), and every remaining root
 * becomes an
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
    public static Diagnosis diagnose(List<Finding> findings, NetworkFacts configured, LossSummary loss) {
        NetworkFacts facts = configured.minibatch() > 0 ? configured : configured.withMinibatch(
                (int) findings.stream().mapToDouble(f -> f.evidence().getOrDefault("minibatch", 0.0)).max()
                        .orElse(0));
        List<Dismissal> dismissed = new ArrayList<>();
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(StructuralFindings.of(facts, loss));
        all.addAll(ScheduleFindings.of(facts, loss));
        List<Finding> kept = Preconditions.apply(all, facts, dismissed);
        kept = Reinterpretation.apply(kept, facts, dismissed);
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

    private static int rank(SymptomGroup g) {
        return CausalEdges.priority(g.symptom());
    }

    /**
     * Links each group to the group that explains it: a group whose edge to it holds for this network (its
     * condition and the layers' positions), that started no later, and that it does not itself explain at the same
     * iteration from an earlier place in the order; among several, the earliest in the order (time, then
     * {@link CausalEdges#PRIORITY}). A link that would close a cycle is not made.
     *
     * @return for each explained group, the group that explains it
     */
    private static Map<SymptomGroup, SymptomGroup> link(List<SymptomGroup> groups, NetworkFacts facts) {
        Map<SymptomGroup, SymptomGroup> parent = new HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            SymptomGroup effect = groups.get(i);
            for (int j = 0; j < groups.size(); j++) {
                SymptomGroup cause = groups.get(j);
                if (j == i || cause.firstIteration() > effect.firstIteration() || !explains(cause, effect, facts)) {
                    continue;
                }
                boolean sameTime = cause.firstIteration() == effect.firstIteration();
                if (j > i && sameTime && explains(effect, cause, facts)) {
                    continue; // both explain each other at once: the earlier in the order is the cause
                }
                if (rootOf(cause, parent) != effect) {
                    parent.put(effect, cause);
                    break;
                }
            }
        }
        return parent;
    }

    private static boolean explains(SymptomGroup cause, SymptomGroup effect, NetworkFacts facts) {
        return CausalEdges.edge(cause.symptom(), effect.symptom(), facts)
                .filter(e -> positionAllows(e.position(), cause, effect, facts)).isPresent();
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
