package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.preflight.ChecklistReport;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one gallery run produced.
 *
 * @param checklist       the quick checklist's report (before training)
 * @param findings        the checklist's and the training's findings, most important first
 * @param diagnosis       the diagnosis of those findings (incidents), verified when the run asked for it
 * @param iterations      iterations trained
 * @param firstLoss       the loss of the first training minibatch
 * @param epochs          per-epoch training (and validation) losses
 * @param stoppedNonFinite whether training stopped early at a NaN/Inf (policy STOP)
 * @param seconds         wall time of the checklist and the training
 */
public record Outcome(ChecklistReport checklist, List<Finding> findings, Diagnosis diagnosis, long iterations, double firstLoss,
                      List<EpochSnapshot> epochs, boolean stoppedNonFinite, double seconds) {

    /** Validates the fields and copies the lists. */
    public Outcome {
        Objects.requireNonNull(checklist, "checklist");
        findings = List.copyOf(findings);
        epochs = List.copyOf(epochs);
    }

    /** @return the root cause of the most important loud incident, null when there is none */
    public Symptom topSymptom() {
        return diagnosis.loud().isEmpty() ? null : diagnosis.loud().get(0).symptom();
    }

    /**
     * @param symptom a symptom
     * @return whether any finding has it
     */
    public boolean has(Symptom symptom) {
        return findings.stream().anyMatch(f -> f.symptom() == symptom);
    }

    /** @return the last epoch's training loss, empty when no epoch completed */
    public OptionalDouble finalTrainLoss() {
        return epochs.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(epochs.get(epochs.size() - 1).trainLoss());
    }

    /** @return the last epoch's validation loss, empty when none was measured */
    public OptionalDouble finalValidationLoss() {
        if (epochs.isEmpty() || !epochs.get(epochs.size() - 1).validationMeasured()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(epochs.get(epochs.size() - 1).validationLoss());
    }
}
