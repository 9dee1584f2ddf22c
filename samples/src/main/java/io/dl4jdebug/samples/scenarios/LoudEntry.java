package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One WARN or ERROR line of a diagnosis as a user reads it.
 *
 * @param symptom  the symptom code of the line
 * @param layers   the layers the line names, worst or first first; empty for a network-wide line
 * @param severity {@code WARN} or {@code ERROR}
 * @param fix      the setting the line's first fix changes, null when it proposes no applicable fix
 */
public record LoudEntry(String symptom, List<String> layers, String severity, Setting fix) {

    /** Validates the fields and copies the list. */
    public LoudEntry {
        Objects.requireNonNull(symptom, "symptom");
        Objects.requireNonNull(severity, "severity");
        layers = List.copyOf(layers);
    }

    /**
     * A line without a fix.
     *
     * @param symptom  the symptom code
     * @param layers   the layers named
     * @param severity WARN or ERROR
     */
    public LoudEntry(String symptom, List<String> layers, String severity) {
        this(symptom, layers, severity, null);
    }

    /** @return the setting the first fix changes, empty when there is none */
    public Optional<Setting> setting() {
        return Optional.ofNullable(fix);
    }
}
