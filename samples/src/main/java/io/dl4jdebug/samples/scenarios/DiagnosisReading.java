package io.dl4jdebug.samples.scenarios;

import java.util.List;

/**
 * How a diagnosis is read: the loud (WARN / ERROR) lines a user would read for one run, in the order shown. The
 * score card compares these lines with the scenario's label, so a new way of presenting findings is scored by
 * implementing this one method.
 */
@FunctionalInterface
public interface DiagnosisReading {

    /**
     * @param run a finished scenario run
     * @return its loud lines, first shown first
     */
    List<LoudEntry> read(ScenarioRun run);
}
