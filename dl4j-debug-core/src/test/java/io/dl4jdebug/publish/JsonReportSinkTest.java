package io.dl4jdebug.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON report: shape, ordering, and the moments it is written. */
class JsonReportSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void findingsAreOrderedAsTheIncidentsAndEveryFieldIsWritten(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("sub/report.json");
        try (JsonReportSink sink = new JsonReportSink(file)) {
            sink.checklist(List.of(new ChecklistItem("data.finite", Level.CODE, CheckStatus.PASS,
                    "features are finite", Map.of("nonFinite", 0.0))));
            sink.onFinding(Finding.builder(Symptom.OVERFITTING, Severity.WARN, "gap").firstIteration(90)
                    .evidence("gap", 0.3).build());
            sink.onFinding(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "dead").layer("h0").firstIteration(20)
                    .evidence("ratio", Double.NaN).suggest("fix it").build());
            sink.onFinding(Finding.builder(Symptom.LOSS_DIVERGING, Severity.ERROR, "up").firstIteration(30).build());
            sink.onFinding(Finding.builder(Symptom.LABELS_INVALID, Severity.WARN, "labels").build());
            sink.onFinding(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, "low").layer("h1")
                    .parameter("W").firstIteration(5).build());
        }
        JsonNode r = JSON.readTree(file.toFile());
        assertThat(r.get("schema").asText()).isEqualTo(JsonReportSink.SCHEMA);
        List<String> order = new ArrayList<>();
        r.get("findings").forEach(f -> order.add(f.get("symptom").asText()));
        // incident 1: invalid labels explain the diverging loss and the apparent overfitting; the low update ratio
        // (iteration 5) came before the dead units (iteration 20), so they stay separate incidents, numerical first
        assertThat(order).containsExactly("LABELS_INVALID", "LOSS_DIVERGING", "OVERFITTING", "DEAD_UNITS",
                "LEARNING_RATE_TOO_LOW");
        List<String> roles = new ArrayList<>();
        r.get("findings").forEach(f -> roles.add(f.get("incident").asInt() + ":" + f.get("role").asText()));
        assertThat(roles).containsExactly("1:ROOT", "1:CONSEQUENCE", "1:CONSEQUENCE", "2:ROOT", "3:ROOT");
        assertThat(r.get("incidents")).hasSize(3);
        assertThat(r.get("incidents").get(1).get("symptom").asText()).isEqualTo("DEAD_UNITS");
        JsonNode dead = r.get("findings").get(3);
        assertThat(dead.get("severity").asText()).isEqualTo("WARN");
        assertThat(dead.get("level").asText()).isEqualTo("NUMERICAL");
        assertThat(dead.get("layer").asText()).isEqualTo("h0");
        assertThat(dead.get("parameter").isNull()).isTrue();
        assertThat(dead.get("firstIteration").asLong()).isEqualTo(20);
        assertThat(dead.get("evidence").get("ratio").asText()).isEqualTo("NaN");
        assertThat(dead.get("suggestions").get(0).asText()).isEqualTo("fix it");
        assertThat(dead.get("layers").get(0).asText()).isEqualTo("h0");
        assertThat(r.get("findings").get(4).get("parameter").asText()).isEqualTo("W");
        JsonNode item = r.get("checklist").get(0);
        assertThat(item.get("id").asText()).isEqualTo("data.finite");
        assertThat(item.get("status").asText()).isEqualTo("PASS");
        assertThat(item.get("evidence").get("nonFinite").asDouble()).isZero();
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void nanPolicyStopLeavesAReportBeforeClose(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        DataSet data = FashionData.train(128);
        data.getFeatures().putScalar(new long[] {70, 3}, Double.NaN);
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().logging(false).nanPolicy(NanPolicy.STOP).report(file).build()
                .attachTo(net);
        net.fit(suite.guard(new ListDataSetIterator<>(data.asList(), 32)), 3);

        JsonNode r = JSON.readTree(file.toFile());
        // written at the NaN finding, then again when the stopped epoch ended
        assertThat(r.get("reason").asText()).isIn("non-finite", "epoch-end");
        assertThat(r.get("iterations").asLong()).isEqualTo(3);
        assertThat(r.get("findings").get(0).get("symptom").asText()).isEqualTo("DATA_NON_FINITE");
        assertThat(r.get("findings").get(0).get("level").asText()).isEqualTo("CODE");
        assertThat(r.get("nonFinite").get("kind").asText()).isEqualTo("INPUT");
        assertThat(r.get("nonFinite").get("iteration").asLong()).isEqualTo(2);
        assertThat(r.get("model").get("layers").get(0).get("name").asText()).isEqualTo("h0");
        suite.close();
        assertThat(JSON.readTree(file.toFile()).get("reason").asText()).isEqualTo("close");
    }

    @Test
    void aNonFiniteFindingWritesTheReportAtOnce(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        try (JsonReportSink sink = new JsonReportSink(file)) {
            sink.onFinding(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "dead").build());
            assertThat(file).doesNotExist();
            sink.onFinding(Finding.builder(Symptom.NON_FINITE, Severity.ERROR, "nan").firstIteration(4).build());
            JsonNode r = JSON.readTree(file.toFile());
            assertThat(r.get("reason").asText()).isEqualTo("non-finite");
            assertThat(r.get("findings")).hasSize(2);
        }
    }

    @Test
    void anUnwritableReportIsReportedWithItsPath(@TempDir Path dir) throws IOException {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        JsonReportSink sink = new JsonReportSink(blocker.resolve("report.json"));
        sink.onFinding(Finding.builder(Symptom.NON_FINITE, Severity.ERROR, "nan").build()); // logged, not thrown
        org.assertj.core.api.Assertions.assertThatThrownBy(sink::close)
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining(blocker.toString());
    }
}
