package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One scenario's diagnosis as read by a {@link DiagnosisReading}, next to its label: a row of the score card.
 *
 * @param name    the scenario's name
 * @param kind    its model kind
 * @param label   its root cause
 * @param entries the loud lines of its report, first shown first
 * @param seconds wall time of the run
 */
public record ScenarioReport(String name, ModelKind kind, RootCause label, List<LoudEntry> entries, double seconds) {

    /** Validates the fields and copies the list. */
    public ScenarioReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        entries = List.copyOf(entries);
    }

    /**
     * @param run     a finished run
     * @param reading how its findings are read
     * @return the row
     */
    public static ScenarioReport of(ScenarioRun run, DiagnosisReading reading) {
        LabelledScenario s = run.scenario();
        return new ScenarioReport(s.name(), s.kind(), s.label(), reading.read(run), run.seconds());
    }

    /** @return the 1-based position of the first line naming the root cause; empty when none does (or healthy) */
    public OptionalInt rank() {
        for (int i = 0; i < entries.size(); i++) {
            if (label.matches(entries.get(i))) {
                return OptionalInt.of(i + 1);
            }
        }
        return OptionalInt.empty();
    }
}
