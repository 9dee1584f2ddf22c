package io.dl4jdebug.samples.scenarios;

import java.util.List;
import java.util.Objects;

/**
 * One WARN or ERROR line of a diagnosis as a user reads it.
 *
 * @param symptom  the symptom code of the line
 * @param layers   the layers the line names, worst or first first; empty for a network-wide line
 * @param severity {@code WARN} or {@code ERROR}
 */
public record LoudEntry(String symptom, List<String> layers, String severity) {

    /** Validates the fields and copies the list. */
    public LoudEntry {
        Objects.requireNonNull(symptom, "symptom");
        Objects.requireNonNull(severity, "severity");
        layers = List.copyOf(layers);
    }
}
