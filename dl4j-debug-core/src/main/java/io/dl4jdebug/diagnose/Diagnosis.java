package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The diagnosis of a run: incidents (a root cause with the consequences it explains and its fix), most important
 * first, and the raw findings that were dismissed with their reasons. Built by {@link Diagnostician}; a verified
 * copy comes from {@link #withVerifications(Map)}. Immutable.
 *
 * @param incidents the incidents, most important first, ids 1..n in that order
 * @param dismissed findings not shown, with the reason
 * @param loss      the training loss curve the diagnosis saw
 */
public record Diagnosis(List<Incident> incidents, List<Dismissal> dismissed, LossSummary loss)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Most important first: confirmed fixes, then severity, level, first iteration and root-cause priority. */
    static final Comparator<Incident> ORDER = Comparator.comparing((Incident i) -> i.confirmed() ? 0 : 1)
            .thenComparing(i -> -i.severity().ordinal())
            .thenComparing(i -> i.level().ordinal())
            .thenComparingLong(i -> i.root().firstIteration())
            .thenComparingInt(i -> CausalEdges.priority(i.symptom()));

    /** Validates the fields and copies the lists. */
    public Diagnosis {
        incidents = List.copyOf(incidents);
        dismissed = List.copyOf(dismissed);
        Objects.requireNonNull(loss, "loss");
    }

    /** @return an empty diagnosis */
    public static Diagnosis empty() {
        return new Diagnosis(List.of(), List.of(), LossSummary.none());
    }

    /** @return the incidents with severity WARN or ERROR: the lines a user must read */
    public List<Incident> loud() {
        return incidents.stream().filter(Incident::loud).toList();
    }

    /** @return the most important incident, empty when there is none */
    public Optional<Incident> first() {
        return incidents.isEmpty() ? Optional.empty() : Optional.of(incidents.get(0));
    }

    /**
     * A finding in its place: the incident it belongs to and its role there.
     *
     * @param finding  the finding
     * @param incident the incident's id
     * @param role     root or consequence
     * @param layers   every layer of the finding's symptom group in that incident, worst first
     */
    public record Placed(Finding finding, int incident, Role role, List<String> layers) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** @return every shown finding, ordered as the incidents are: each incident's root first, then its consequences */
    public List<Placed> orderedFindings() {
        List<Placed> out = new ArrayList<>();
        for (Incident i : incidents) {
            i.root().findings().forEach(f -> out.add(new Placed(f, i.id(), Role.ROOT, i.root().layers())));
            for (SymptomGroup g : i.consequences()) {
                g.findings().forEach(f -> out.add(new Placed(f, i.id(), Role.CONSEQUENCE, g.layers())));
            }
        }
        return out;
    }

    /**
     * Adds the trials of fixes: a confirmed remedy that names another cause than the incident's root, a cause that
     * explains the root through {@link CausalEdges} (a lower learning rate that cures a NaN), makes that cause the
     * root; confirmed incidents rank first.
     *
     * @param trials verification per incident id
     * @return the verified diagnosis
     */
    public Diagnosis withVerifications(Map<Integer, Verification> trials) {
        List<Incident> out = new ArrayList<>();
        for (Incident i : incidents) {
            Verification v = trials.get(i.id());
            out.add(v == null ? i : reroot(i.with(i.id(), v)));
        }
        return new Diagnosis(ordered(out), dismissed, loss);
    }

    private static Incident reroot(Incident i) {
        Verification v = i.verification();
        Symptom cause = v.remedy().names().orElse(null);
        if (!v.confirmed() || cause == null || cause == i.symptom()
                || CausalEdges.edge(cause, i.symptom()).isEmpty()) {
            return i; // the cured cause must explain the incident's root to take its place
        }
        List<SymptomGroup> consequences = new ArrayList<>();
        SymptomGroup newRoot = null;
        for (SymptomGroup g : i.consequences()) {
            if (newRoot == null && g.symptom() == cause) {
                newRoot = g;
            } else {
                consequences.add(g);
            }
        }
        if (newRoot != null && newRoot.layers().isEmpty() && !v.remedy().layers().isEmpty()) {
            newRoot = new SymptomGroup(newRoot.symptom(), newRoot.severity(), newRoot.firstIteration(),
                    v.remedy().layers(), newRoot.findings());
        }
        if (newRoot == null) {
            List<String> layers = v.remedy().layers().isEmpty() ? i.root().layers() : v.remedy().layers();
            Finding found = Finding.builder(cause, i.root().severity(), "verified cause: " + v.remedy().text()
                            + "; " + v.summary())
                    .layer(layers.isEmpty() ? null : layers.get(0)).firstIteration(i.root().firstIteration())
                    .evidence("baselineLossAfter", v.baselineAfter()).evidence("fixedLossAfter", v.fixedAfter())
                    .evidence("iterations", v.iterations()).suggest(v.remedy().text()).build();
            newRoot = new SymptomGroup(cause, i.root().severity(), i.root().firstIteration(), layers,
                    List.of(found));
        }
        consequences.add(0, i.root());
        List<Remedy> remedies = new ArrayList<>();
        remedies.add(v.remedy());
        i.remedies().stream().filter(r -> !r.equals(v.remedy())).forEach(remedies::add);
        return new Incident(i.id(), newRoot, consequences, remedies, i.advice(), v);
    }

    /**
     * @param incidents incidents in any order
     * @return them ordered by {@link #ORDER} and numbered from 1
     */
    static List<Incident> ordered(List<Incident> incidents) {
        List<Incident> sorted = new ArrayList<>(incidents);
        sorted.sort(ORDER);
        List<Incident> numbered = new ArrayList<>();
        for (int k = 0; k < sorted.size(); k++) {
            numbered.add(sorted.get(k).with(k + 1, sorted.get(k).verification()));
        }
        return numbered;
    }
}
