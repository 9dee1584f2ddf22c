package io.dl4jdebug.cli.ui;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.cli.diagnose.DiagnoseCommandTest;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code --ui} and {@code --stats-file}: the DL4J UI serves the run on both its pages; the file can be reopened. */
class UiSessionTest {

    @TempDir
    Path dir;

    private static MultiLayerNetwork tinyNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-2)).list().layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out").nIn(4).nOut(3).activation(Activation.SOFTMAX).build()).build());
        net.init();
        return net;
    }

    private static String trainRecorded(UiSession ui) {
        UiSession.Run run = ui.newRun("test run", 1);
        MultiLayerNetwork net = tinyNet();
        run.attach(net);
        DebugSuite.Builder b = DebugSuite.builder().logging(false);
        run.sink().ifPresent(b::sink);
        DebugSuite suite = b.build().attachTo(net);
        Nd4j.getRandom().setSeed(3);
        DataSet data = new DataSet(Nd4j.rand(32, 4), Nd4j.eye(3).repeat(0, 11).getRows(java.util.stream.IntStream
                .range(0, 32).toArray()));
        net.fit(suite.guard(new ListDataSetIterator<>(data.batchBy(8), 1)), 3);
        suite.close();
        return run.sessionId().orElseThrow();
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void uiServesTheRunOnTheDebugAndDl4jPagesUntilClosed() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        UiSession ui = UiSession.start(new UiOptions(true, 0, 0, null),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String base;
        try (ui) {
            String session = trainRecorded(ui);
            int port = ui.server().orElseThrow().getPort();
            base = "http://localhost:" + port;
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains(base + "/debug");
            assertThat(ui.debugUrl()).contains(base + "/debug");
            HttpResponse<String> sessions = get(base + "/debug/api/sessions");
            assertThat(sessions.statusCode()).isEqualTo(200);
            assertThat(sessions.body()).contains(session);
            HttpResponse<String> detail = get(base + "/debug/api/sessions/" + session);
            assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
            assertThat(detail.body()).contains("\"gradients\"").contains("\"checklist\"");
            assertThat(get(base + "/train/overview").statusCode()).isEqualTo(200);
            ui.awaitAfterTraining(); // --ui-seconds 0: returns at once
        }
        assertThatThrownBy(() -> get(base + "/debug/api/sessions")).isInstanceOf(ConnectException.class);
    }

    @Test
    void statsFileCanBeReopenedWithBothListenersSessions() throws Exception {
        Path file = dir.resolve("runs/run.dl4j");
        String session;
        try (UiSession ui = UiSession.start(new UiOptions(false, 0, null, file), new PrintStream(
                new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertThat(ui.server()).isEmpty();
            session = trainRecorded(ui);
            ui.awaitAfterTraining(); // no UI: returns at once
        }
        FileStatsStorage reopened = new FileStatsStorage(file.toFile());
        try {
            assertThat(reopened.listSessionIDs()).contains(session);
            assertThat(reopened.listTypeIDsForSession(session)).contains("StatsListener", "Dl4jDebugGradients");
        } finally {
            reopened.close();
        }
    }

    @Test
    void disabledSessionRecordsNothing() {
        UiSession ui = UiSession.start(new UiOptions(), System.out);
        assertThat(ui.enabled()).isFalse();
        UiSession.Run run = ui.newRun("x");
        assertThat(run.listener()).isEmpty();
        assertThat(run.sink()).isEmpty();
        run.attach(tinyNet());
        ui.close();
    }

    @Test
    void badPortIsRefusedWithTheOption() {
        assertThatThrownBy(() -> UiSession.start(new UiOptions(true, 70000, null, null), System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--ui-port")
                .hasMessageContaining("70000");
    }

    @Test
    void diagnoseWithUiPrintsTheUrlAndStops() throws IOException {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed");
        Path model = DiagnoseCommandTest.mlp(dir, "ui.json", FashionMnist.PIXELS, FashionMnist.CLASSES,
                new Adam(1e-3));
        var r = DiagnoseCommandTest.diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations",
                "20", "--examples", "512", "--report", dir.resolve("r.json").toString(), "--ui", "--ui-port", "0",
                "--ui-seconds", "0", "--stats-file", dir.resolve("d.dl4j").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("DL4J UI: http://localhost:\\d+/debug").contains("Stats file: ");
        assertThat(dir.resolve("d.dl4j")).isNotEmptyFile();
    }
}
