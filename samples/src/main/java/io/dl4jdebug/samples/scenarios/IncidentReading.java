package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Incident;

import java.util.List;

/**
 * The diagnosis as the CLI, the JSON report and the Debug page show it: the loud (WARN/ERROR) incidents of the run's
 * verified {@link io.dl4jdebug.diagnose.Diagnosis}, root cause first, one line per incident naming the root cause's
 * symptom and layers, and the setting its fix changes ({@link Incident#setting()}: the confirmed remedy's, else the
 * first remedy's, else a data-level root's data property, as the headline shows it). Stateless.
 */
public final class IncidentReading implements DiagnosisReading {

    @Override
    public List<LoudEntry> read(ScenarioRun run) {
        return run.diagnosis().loud().stream()
                .map((Incident i) -> new LoudEntry(i.symptom().name(), i.root().layers(), i.severity().name(),
                        i.setting().orElse(null)))
                .toList();
    }
}
