package io.dl4jdebug.ui;

import io.dl4jdebug.ui.recorded.StatsRecordings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.api.UIServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file written by DL4J's StatsListener alone (Adam(0.5), no dl4j-debug listener) opened with {@link OpenStatsFile}:
 * the Debug page's JSON serves the diagnosis derived from the recording, the file is only read.
 */
class RecordedDebugPageTest {

    @TempDir
    static Path dir;

    private static UiServer ui;
    private static Path file;
    private static long sizeBefore;

    @BeforeAll
    static void open() throws IOException {
        file = StatsRecordings.record(StatsRecordings.mlp(new Adam(0.5)), 1, dir.resolve("diverging.dl4j"));
        sizeBefore = java.nio.file.Files.size(file);
        UIServer server = OpenStatsFile.open(file.toFile(), 0);
        ui = UiServer.attachTo(server);
    }

    @AfterAll
    static void close() throws Exception {
        for (StatsStorage s : new ArrayList<>(ui.server().getStatsStorageInstances())) {
            if (String.valueOf(s).contains(file.getFileName().toString())) {
                ui.server().detach(s);
                s.close();
            }
        }
        ui.close();
    }

    private static JsonObject recordedSession() {
        JsonArray sessions = ui.json("/debug/api/sessions").getJsonArray("sessions");
        List<JsonObject> recorded = new ArrayList<>();
        sessions.forEach(s -> {
            if (Boolean.TRUE.equals(((JsonObject) s).getBoolean("recordedByStatsListener"))) {
                recorded.add((JsonObject) s);
            }
        });
        assertThat(recorded).hasSize(1);
        return recorded.get(0);
    }

    @Test
    void theSessionIsListedAsRecordedByStatsListener() {
        JsonObject s = recordedSession();
        assertThat(s.getBoolean("hasTrainingStats")).isTrue();
        assertThat(s.getJsonArray("workers")).hasSize(1);
    }

    @Test
    void theSessionJsonServesTheRecordedRunsDiagnosis() {
        JsonObject view = ui.session(recordedSession().getString("id"));
        JsonArray incidents = view.getJsonArray("incidents");
        assertThat(incidents).isNotEmpty();
        JsonObject first = incidents.getJsonObject(0);
        assertThat(first.getString("symptom")).isEqualTo("LEARNING_RATE_TOO_HIGH");
        assertThat(first.getString("severity")).isEqualTo("ERROR");
        assertThat(UiServer.strings(first.getJsonArray("fix"))).anyMatch(f -> f.contains("new Adam(0.5)"));
        assertThat(view.getJsonArray("findings")).isNotEmpty();
        assertThat(view.getJsonObject("loss").getJsonArray("train")).hasSize(4);
        assertThat(view.getJsonObject("gradients").encode()).contains("dense1");

        JsonObject recorded = view.getJsonObject("recordedByStatsListener");
        assertThat(recorded.getInteger("reportingFrequency")).isEqualTo(10);
        assertThat(recorded.getJsonArray("needsDl4jDebug")).isNotEmpty();
        assertThat(recorded.getJsonArray("checks").encode()).contains("loss curve").contains("\"ran\":false");
    }

    @Test
    void theFileIsOnlyRead() throws IOException {
        ui.session(recordedSession().getString("id"));
        assertThat(java.nio.file.Files.size(file)).isEqualTo(sizeBefore);
    }
}
