package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FindingOrder;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.cli.FindingsText;

import java.util.ArrayList;
import java.util.List;

/**
 * Today's reading: the findings sorted by {@link FindingOrder#mostImportantFirst}, neighbours with the same symptom
 * and severity grouped into one line ({@link FindingsText#groups}, as {@link FindingsText#print} prints them), WARN and
 * ERROR lines only. Stateless.
 */
public final class FindingOrderReading implements DiagnosisReading {

    @Override
    public List<LoudEntry> read(ScenarioRun run) {
        List<List<Finding>> groups = FindingsText.groups(FindingOrder.mostImportantFirst(run.findings()));
        List<LoudEntry> lines = new ArrayList<>();
        for (List<Finding> group : groups) {
            Finding head = group.get(0);
            if (head.severity() != Severity.INFO) {
                List<String> layers = group.stream().flatMap(f -> f.layerName().stream()).distinct().toList();
                lines.add(new LoudEntry(head.symptom().name(), layers, head.severity().name()));
            }
        }
        return lines;
    }
}
