package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import io.dl4jdebug.preflight.ChecklistReport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Today's reading on hand-made findings: FindingOrder's order, neighbours grouped, INFO left out. No training. */
class FindingOrderReadingTest {

    private static Finding finding(Symptom symptom, Severity severity, String layer) {
        return Finding.builder(symptom, severity, symptom + " on " + layer).layer(layer).build();
    }

    @Test
    void groupsNeighboursWithTheSameSymptomAndSeverityAndDropsInfo() {
        List<Finding> findings = List.of(
                finding(Symptom.VANISHING_GRADIENT, Severity.WARN, "dense1"),
                finding(Symptom.DEAD_UNITS, Severity.WARN, "dense2"),
                finding(Symptom.DEAD_UNITS, Severity.WARN, "dense1"),
                finding(Symptom.DEAD_UNITS, Severity.WARN, "dense1"),
                finding(Symptom.LOSS_NOT_DECREASING, Severity.INFO, "output"),
                finding(Symptom.DATA_UNNORMALIZED, Severity.WARN, "input"));
        DataSet data = new DataSet(Nd4j.zeros(2, 784), Nd4j.zeros(2, 10));
        LabelledScenario scenario = new BuiltScenario("hand-made", "findings written by hand",
                RootCause.of(Symptom.DEAD_UNITS, Setting.BIAS_INIT, Detection.ONLY_IN_TRAINING),
                ModelKind.MULTI_LAYER_NETWORK, d -> null);
        ScenarioRun run = new ScenarioRun(scenario, new ScenarioSetup(DenseNet.seeded(1).hidden(4).multiLayer(),
                data, null, 2, 1), new ChecklistReport(List.of(), List.of()), findings, List.of(),
                io.dl4jdebug.diagnose.Diagnosis.empty(), 0.1, 0);

        assertThat(new FindingOrderReading().read(run)).containsExactly(
                new LoudEntry("DATA_UNNORMALIZED", List.of("input"), "WARN"),
                new LoudEntry("DEAD_UNITS", List.of("dense2", "dense1"), "WARN"),
                new LoudEntry("VANISHING_GRADIENT", List.of("dense1"), "WARN"));
    }
}
