package io.dl4jdebug.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two JVMs: a training JVM publishes through a RemoteUIStatsStorageRouter into this JVM's UI server (remote listener
 * enabled); and a training JVM writing a FileStatsStorage is killed with SIGKILL, then its file is opened the way the
 * docs say ({@link OpenStatsFile}) and shows the same Debug data.
 */
class RemoteAndKilledRunTest {

    @AfterEach
    void stopUi() throws Exception {
        VertxUIServer.stopInstance();
    }

    @Test
    void remoteRouterDeliversRecordsFromAnotherJvm() throws Exception {
        UiServer ui = UiServer.start();
        InMemoryStatsStorage received = new InMemoryStatsStorage();
        ui.server().enableRemoteListener(received, true);
        try (ChildJvm child = new ChildJvm("remote", ui.base())) {
            String[] ids = child.await(l -> l.startsWith("SESSION "), 120).split(" ");
            child.await(l -> l.equals("TRAINED"), 180);
            JsonObject view = ui.awaitSession(ids[1], v -> v.getJsonArray("findings").stream()
                    .anyMatch(f -> "NON_FINITE".equals(((JsonObject) f).getString("symptom")))
                    && v.getJsonObject("fitting").getJsonObject("latest") != null
                    && v.getJsonObject("fitting").getJsonObject("latest").getInteger("epoch") == 1
                    && v.getJsonArray("incidents") != null && !v.getJsonArray("incidents").isEmpty(), 120);
            assertThat(view.getString("workerId")).isEqualTo(ids[2]);
            assertThat(view.getBoolean("hasTrainingStats")).isTrue();
            assertThat(view.getJsonArray("nonFinite").getJsonObject(0).getString("layer")).isEqualTo(UiRuns.XSS_LAYER);
            assertThat(view.getJsonArray("checklist")).hasSize(3);
            // The diagnosis published at the epoch ends came through the router too: the NaN is the root cause.
            JsonObject root = view.getJsonArray("incidents").getJsonObject(0);
            assertThat(root.getString("symptom")).isEqualTo("NON_FINITE");
            assertThat(UiServer.strings(root.getJsonArray("layers"))).containsExactly(UiRuns.XSS_LAYER);
            assertThat(UiServer.strings(view.getJsonObject("gradients").getJsonArray("layers")))
                    .containsExactly("h0", UiRuns.XSS_LAYER, "out");
            assertThat(received.listSessionIDs()).contains(ids[1]);
        }
    }

    @Test
    void fileOfARunKilledWithSigkillOpensInTheUi() throws Exception {
        File file = ChildJvm.tempFile("killed");
        String[] ids;
        try (ChildJvm child = new ChildJvm("file", file.getPath())) {
            ids = child.await(l -> l.startsWith("SESSION "), 120).split(" ");
            child.await(l -> l.equals("EPOCH 1"), 180);
            child.killHard();
            assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
        }
        UIServer server = OpenStatsFile.open(file, 0);
        UiServer ui = UiServer.attachTo(server);
        JsonObject sessions = ui.json("/debug/api/sessions");
        assertThat(sessions.getJsonArray("sessions").getJsonObject(0).getString("id")).isEqualTo(ids[1]);
        JsonObject view = ui.session(ids[1]);
        JsonArray findings = view.getJsonArray("findings");
        assertThat(findings.getJsonObject(0).getString("symptom")).isEqualTo("NON_FINITE");
        assertThat(view.getJsonObject("gradients").getInteger("snapshots")).isGreaterThanOrEqualTo(8);
        assertThat(view.getJsonObject("loss").getJsonArray("train")).isNotEmpty();
        assertThat(ui.get("/debug").statusCode()).isEqualTo(200);
        assertThat(ui.get("/train/overview/data").statusCode()).isEqualTo(200);
        for (var storage : server.getStatsStorageInstances()) {
            server.detach(storage);
            storage.close();
        }
    }

    @Test
    void openRefusesAMissingFileByName() {
        assertThatThrownBy(() -> OpenStatsFile.open(new File("target/no-such-run.dl4j"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target/no-such-run.dl4j").hasMessageContaining("FileStatsStorage");
        assertThatThrownBy(() -> OpenStatsFile.open(new File("pom.xml"), 70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }
}
