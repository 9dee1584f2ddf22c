package io.dl4jdebug.ui.recorded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.publish.ReportJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JSON report of a recorded run's diagnosis (schema {@value #SCHEMA}): where it was read from, the incidents and
 * findings in the format of dl4j-debug's live report ({@code dl4j-debug-report/2}, {@link ReportJson}), the checks
 * that ran or could not, and what needs dl4j-debug attached during training. Stateless.
 */
public final class RecordedReportJson {

    /** The report's schema name. */
    public static final String SCHEMA = "dl4j-debug-recorded-report/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RecordedReportJson() {
    }

    /**
     * @param d a recorded run's diagnosis
     * @return its report
     */
    public static ObjectNode toJson(RecordedDiagnosis d) {
        RecordedRun run = d.run();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        ObjectNode source = root.putObject("source");
        source.put("path", run.source());
        source.put("recordedBy", "StatsListener");
        source.put("sessionId", run.sessionId());
        source.put("workerId", run.workerId());
        source.put("reports", run.reports().size());
        source.put("reportingFrequency", run.reportingFrequency());
        source.put("lastIteration", run.lastIteration());
        ArrayNode others = source.putArray("otherSessions");
        run.otherSessions().forEach(others::add);
        ArrayNode otherWorkers = source.putArray("otherWorkers");
        run.otherWorkers().forEach(otherWorkers::add);
        ObjectNode model = root.putObject("model");
        model.put("class", run.modelClass());
        model.put("note", run.modelNote());
        ArrayNode layers = model.putArray("layers");
        for (LayerInfo l : run.layers()) {
            layers.addObject().put("name", l.name()).put("type", l.type()).put("activation", l.activation());
        }
        root.put("iterations", run.lastIteration() + 1);
        Diagnosis diagnosis = d.diagnosis();
        ReportJson.incidents(root.putArray("incidents"), diagnosis);
        ArrayNode findings = root.putArray("findings");
        for (Finding f : d.findings()) {
            ReportJson.finding(findings.addObject(), f);
        }
        ArrayNode checks = root.putArray("checks");
        for (RecordedCheck c : d.checks()) {
            checks.addObject().put("name", c.name()).put("ran", c.ran()).put("detail", c.detail());
        }
        ArrayNode needs = root.putArray("needsDl4jDebug");
        RecordedDiagnosis.NEEDS_DL4J_DEBUG.forEach(needs::add);
        return root;
    }

    /**
     * Writes the report through a temporary file moved over {@code file}.
     *
     * @param file where to write
     * @param d    the diagnosis
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, RecordedDiagnosis d) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.write(tmp, MAPPER.writeValueAsBytes(toJson(d)));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
