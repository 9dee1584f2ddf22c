package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * All findings of one symptom inside one incident: one entry naming the affected layers worst first, instead of a
 * row per parameter (Alertmanager's {@code group_by}).
 *
 * @param symptom        the symptom
 * @param severity       the highest severity among the findings
 * @param firstIteration the earliest iteration among the findings
 * @param layers         the affected layers, worst first (highest severity, earliest, a finding without a parameter
 *                       before per-parameter ones, then by position: forward order for activation symptoms,
 *                       backward order for gradient symptoms); empty for a global symptom
 * @param findings       the findings, in the same order
 */
public record SymptomGroup(Symptom symptom, Severity severity, long firstIteration, List<String> layers,
                           List<Finding> findings) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the lists. */
    public SymptomGroup {
        Objects.requireNonNull(symptom, "symptom");
        Objects.requireNonNull(severity, "severity");
        layers = List.copyOf(layers);
        findings = List.copyOf(findings);
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("a symptom group needs at least one finding");
        }
    }

    /**
     * Groups findings of one symptom.
     *
     * @param findings findings that all have the same symptom (at least one)
     * @param facts    the network, for the layers' positions
     * @return the group, findings and layers worst first
     */
    public static SymptomGroup of(List<Finding> findings, NetworkFacts facts) {
        Symptom symptom = findings.get(0).symptom();
        boolean backward = CausalEdges.isGradientSymptom(symptom);
        List<Finding> sorted = new ArrayList<>(findings);
        // Worst first: severity, then the earliest; at a tie a finding about a layer or the configuration (no
        // parameter: "Adam learning rate 0.5 is above ...") stands for the group before per-parameter measurements
        // of the same thing (update ratios of W, b, ...); then the order the symptom travels in.
        sorted.sort(Comparator.comparing((Finding f) -> -f.severity().ordinal())
                .thenComparingLong(Finding::firstIteration)
                .thenComparing(f -> f.parameter() != null)
                .thenComparingInt(f -> backward ? -facts.position(f.layer()) : facts.position(f.layer())));
        Set<String> layers = new LinkedHashSet<>();
        Severity severity = Severity.INFO;
        long first = Long.MAX_VALUE;
        for (Finding f : sorted) {
            if (f.symptom() != symptom) {
                throw new IllegalArgumentException("a group holds one symptom: " + symptom + " but got "
                        + f.symptom());
            }
            f.layerName().ifPresent(layers::add);
            severity = f.severity().compareTo(severity) > 0 ? f.severity() : severity;
            first = Math.min(first, f.firstIteration());
        }
        return new SymptomGroup(symptom, severity, first, new ArrayList<>(layers), sorted);
    }

    /** @return the symptom's level */
    public Level level() {
        return symptom.level();
    }

    /** @return the worst finding: the one that stands for the group */
    public Finding worst() {
        return findings.get(0);
    }

    /** @return the first (worst) layer, or null for a global symptom */
    public String layer() {
        return layers.isEmpty() ? null : layers.get(0);
    }

    /** @return e.g. "DEAD_UNITS on 3 layers (h1, h2, h3)" or "LOSS_DIVERGING" */
    public String summary() {
        if (layers.isEmpty()) {
            return symptom.name();
        }
        long params = findings.stream().filter(f -> f.parameter() != null).count();
        String what = params > 1 ? params + " parameters in " + layers.size() + " layer" + (layers.size() == 1 ? ""
                : "s") : layers.size() + " layer" + (layers.size() == 1 ? "" : "s");
        List<String> shown = layers.size() > 6 ? layers.subList(0, 6) : layers;
        return symptom + " on " + what + " (" + String.join(", ", shown) + (layers.size() > 6 ? ", ..." : "") + ")";
    }
}
