package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FindingOrder;
import io.dl4jdebug.diagnose.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * Today's reading: the findings sorted by {@link FindingOrder#mostImportantFirst}, neighbours with the same symptom
 * and severity grouped into one line (as {@link io.dl4jdebug.samples.FindingsText#print} prints them), WARN and
 * ERROR lines only. Stateless.
 */
public final class FindingOrderReading implements DiagnosisReading {

    @Override
    public List<LoudEntry> read(ScenarioRun run) {
        List<List<Finding>> groups = new ArrayList<>();
        for (Finding f : FindingOrder.mostImportantFirst(run.findings())) {
            List<Finding> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && last.get(0).symptom() == f.symptom() && last.get(0).severity() == f.severity()) {
                last.add(f);
            } else {
                groups.add(new ArrayList<>(List.of(f)));
            }
        }
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
