package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Symptom;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The label of a scenario: the symptom code of its root cause and, when the cause sits in particular layers, their
 * names; or "healthy" (no problem). The symptom is a String matching {@link Symptom#name()} so that a label can name
 * a symptom core does not have yet.
 *
 * @param symptom the root cause's symptom code, null for a healthy network
 * @param layers  the layers where the root cause sits (any one of them counts), empty when not about layers
 */
public record RootCause(String symptom, List<String> layers) {

    /** Validates the fields and copies the list. */
    public RootCause {
        if (symptom != null && symptom.isBlank()) {
            throw new IllegalArgumentException("symptom must be a symptom code or null (healthy) but was blank");
        }
        layers = List.copyOf(layers);
        if (symptom == null && !layers.isEmpty()) {
            throw new IllegalArgumentException("a healthy label names no layers but named " + layers);
        }
    }

    /**
     * @param symptom the root cause
     * @param layers  where it sits (any one of them counts); none when not about layers
     * @return the label
     */
    public static RootCause of(Symptom symptom, String... layers) {
        return new RootCause(symptom.name(), List.of(layers));
    }

    /**
     * @param symptomCode a symptom code core may not have yet (e.g. {@code TRAIN_INFERENCE_MISMATCH})
     * @param layers      where it sits; none when not about layers
     * @return the label
     */
    public static RootCause named(String symptomCode, String... layers) {
        return new RootCause(Objects.requireNonNull(symptomCode, "symptomCode"), List.of(layers));
    }

    /** @return the label of a network without a problem */
    public static RootCause healthy() {
        return new RootCause(null, List.of());
    }

    /** @return whether this labels a network without a problem */
    public boolean isHealthy() {
        return symptom == null;
    }

    /** @return the symptom code, empty for a healthy network */
    public Optional<String> symptomCode() {
        return Optional.ofNullable(symptom);
    }

    /** @return the symptom as core knows it, empty when healthy or when core has no such symptom yet */
    public Optional<Symptom> knownSymptom() {
        if (symptom == null) {
            return Optional.empty();
        }
        for (Symptom s : Symptom.values()) {
            if (s.name().equals(symptom)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * @param entry a loud line of a report
     * @return whether it names this root cause: same symptom and, when this label names layers, one of them
     */
    public boolean matches(LoudEntry entry) {
        if (symptom == null || !symptom.equals(entry.symptom())) {
            return false;
        }
        return layers.isEmpty() || entry.layers().stream().anyMatch(layers::contains);
    }

    @Override
    public String toString() {
        return symptom == null ? "healthy" : layers.isEmpty() ? symptom : symptom + "@" + String.join(",", layers);
    }
}
