package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The label of a scenario: the symptom code of its root cause, the layers where it sits (any one counts; none when the
 * cause is global), the {@link Setting}s a fix must change (one, unless two are genuinely equivalent fixes), and when
 * the bug can be seen ({@link Detection}); or "healthy" (no problem). The symptom is a String matching
 * {@link Symptom#name()} so that a label can name a symptom core does not have yet.
 *
 * @param symptom   the root cause's symptom code, null for a healthy network
 * @param layers    the layers where the root cause sits (any one of them counts), empty when not about layers
 * @param settings  the settings its fix must change (any one counts), empty only when healthy
 * @param detection when the bug can be seen, null only when healthy
 */
public record RootCause(String symptom, List<String> layers, Set<Setting> settings, Detection detection) {

    /** Validates the fields and copies the collections. */
    public RootCause {
        if (symptom != null && symptom.isBlank()) {
            throw new IllegalArgumentException("symptom must be a symptom code or null (healthy) but was blank");
        }
        layers = List.copyOf(layers);
        settings = settings.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(settings));
        if (symptom == null && (!layers.isEmpty() || !settings.isEmpty() || detection != null)) {
            throw new IllegalArgumentException("a healthy label names no layers, settings or detection but named "
                    + layers + ", " + settings + ", " + detection);
        }
        if (symptom != null && (settings.isEmpty() || detection == null)) {
            throw new IllegalArgumentException("the label " + symptom + " must name the setting its fix changes and"
                    + " its detection (before training or only in training)");
        }
    }

    /**
     * @param symptom   the root cause
     * @param setting   the setting its fix must change
     * @param detection when it can be seen
     * @param layers    where it sits (any one of them counts); none when not about layers
     * @return the label
     */
    public static RootCause of(Symptom symptom, Setting setting, Detection detection, String... layers) {
        return new RootCause(symptom.name(), List.of(layers), Set.of(setting), detection);
    }

    /**
     * @param symptom   the root cause
     * @param settings  the settings a fix may change: equivalent fixes, any one counts
     * @param detection when it can be seen
     * @param layers    where it sits; none when not about layers
     * @return the label
     */
    public static RootCause of(Symptom symptom, Set<Setting> settings, Detection detection, String... layers) {
        return new RootCause(symptom.name(), List.of(layers), settings, detection);
    }

    /**
     * @param symptomCode a symptom code core may not have yet (e.g. {@code TRAIN_INFERENCE_MISMATCH})
     * @param setting     the setting its fix must change
     * @param detection   when it can be seen
     * @param layers      where it sits; none when not about layers
     * @return the label
     */
    public static RootCause named(String symptomCode, Setting setting, Detection detection, String... layers) {
        return new RootCause(Objects.requireNonNull(symptomCode, "symptomCode"), List.of(layers), Set.of(setting),
                detection);
    }

    /** @return the label of a network without a problem */
    public static RootCause healthy() {
        return new RootCause(null, List.of(), Set.of(), null);
    }

    /** @return whether this labels a network without a problem */
    public boolean isHealthy() {
        return symptom == null;
    }

    /** @return whether this labels a bug a checklist item reads before training */
    public boolean beforeTraining() {
        return detection == Detection.BEFORE_TRAINING;
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

    /**
     * @param entry a loud line of a report
     * @return whether its first remedy changes one of this label's settings (false when it proposes none)
     */
    public boolean fixMatches(LoudEntry entry) {
        return entry.setting().map(settings::contains).orElse(false);
    }

    /** @return the settings, sorted, joined with "|" ("" when healthy) */
    public String settingsText() {
        return String.join("|", settings.stream().sorted().map(Setting::name).toList());
    }

    @Override
    public String toString() {
        return symptom == null ? "healthy" : layers.isEmpty() ? symptom : symptom + "@" + String.join(",", layers);
    }
}
