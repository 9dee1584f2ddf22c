package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.preflight.ChecklistReport;

import java.util.List;
import java.util.Objects;

/**
 * What one scenario run produced: the trained network and its data, the checklist, the suite's raw findings (the
 * checklist's included, in the order they were made) and the losses.
 *
 * @param scenario  the scenario
 * @param setup     the network (trained in place) and the data used
 * @param checklist the quick checklist's report (before training)
 * @param findings  every finding of the suite, unordered: the checklist's, then the training's
 * @param epochs    per-epoch losses (training loss in inference mode, validation loss when there is validation data)
 * @param diagnosis the suite's diagnosis, its fixes tried on copies of the network
 * @param seconds   wall time of the checklist and the training
 * @param verifySeconds wall time of the fixes' trials on copies
 */
public record ScenarioRun(LabelledScenario scenario, ScenarioSetup setup, ChecklistReport checklist,
                          List<Finding> findings, List<EpochSnapshot> epochs, Diagnosis diagnosis, double seconds,
                          double verifySeconds) {

    /** Validates the fields and copies the lists. */
    public ScenarioRun {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(checklist, "checklist");
        findings = List.copyOf(findings);
        epochs = List.copyOf(epochs);
        Objects.requireNonNull(diagnosis, "diagnosis");
    }

    /**
     * @param symptomCode a symptom code
     * @return whether the training or the checklist made a finding with that symptom
     */
    public boolean reported(String symptomCode) {
        return findings.stream().anyMatch(f -> f.symptom().name().equals(symptomCode))
                || checklist.findings().stream().anyMatch(f -> f.symptom().name().equals(symptomCode));
    }
}
