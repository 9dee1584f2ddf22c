package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One scenario's diagnosis at one seed as read by a {@link DiagnosisReading}, next to its label: a row of the score
 * card.
 *
 * @param name    the scenario's name
 * @param kind    its model kind
 * @param family  its family of model
 * @param label   its root cause
 * @param seed    the seed it ran at
 * @param entries the loud lines of its report, first shown first
 * @param seconds wall time of the run
 */
public record ScenarioReport(String name, ModelKind kind, Family family, RootCause label, long seed,
                             List<LoudEntry> entries, double seconds) {

    /** Validates the fields and copies the list. */
    public ScenarioReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(label, "label");
        entries = List.copyOf(entries);
    }

    /**
     * @param run     a finished run
     * @param reading how its findings are read
     * @param seed    the seed of the run's data and network
     * @return the row
     */
    public static ScenarioReport of(ScenarioRun run, DiagnosisReading reading, long seed) {
        LabelledScenario s = run.scenario();
        return new ScenarioReport(s.name(), s.kind(), s.family(), s.label(), seed, reading.read(run), run.seconds());
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

    /** @return whether the first loud line's first fix changes one of the label's settings (false when healthy) */
    public boolean fixChangesSetting() {
        return !label.isHealthy() && !entries.isEmpty() && label.fixMatches(entries.get(0));
    }
}
