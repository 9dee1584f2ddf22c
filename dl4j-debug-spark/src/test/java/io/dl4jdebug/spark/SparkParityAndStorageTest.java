package io.dl4jdebug.spark;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.ui.DebugModule;
import io.dl4jdebug.ui.storage.RecordKind;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same network trained with and without Spark gives findings of the same kinds; the driver's FileStatsStorage
 * holds every worker's records when it is opened again, and the Debug page serves each worker's. (A diverging network is not compared: with Sgd(1e4) the
 * plain run kills its ReLU units while the averaged Spark run overflows to NaN at iteration 3, both real outcomes
 * of the same bug; SparkDebugLocalModeTest checks the Spark side.)
 */
class SparkParityAndStorageTest {

    private static final int EXAMPLES = 1024;

    @TempDir
    Path dir;

    @Test
    void deepSigmoidFindingsMatchThePlainRunAndTheStatsFileHoldsBothWorkers() throws Exception {
        File file = dir.resolve("spark-run.dl4j").toFile();
        String session;
        Set<String> workers;
        Set<Symptom> spark;
        Symptom sparkRoot;
        FileStatsStorage storage = new FileStatsStorage(file);
        try {
            SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(SparkTesting.context(), SparkTesting.deepSigmoid(),
                    SparkTesting.master());
            try (SparkDebugSession debug = SparkDebug.attach(net, storage, SparkDebugOptions.builder()
                    .workerLogging(false).build())) {
                net.fit(SparkTesting.train(EXAMPLES));
                debug.endEpoch();
                session = debug.sessionId();
                workers = debug.workers();
                spark = loud(debug.findings());
                sparkRoot = debug.diagnosis().first().orElseThrow().symptom();
                Finding vanishing = debug.findings().stream()
                        .filter(f -> f.symptom() == Symptom.VANISHING_GRADIENT).findFirst().orElseThrow();
                // the same finding on both workers is one finding naming both
                assertThat(WorkerMerge.workers(vanishing)).containsExactlyInAnyOrderElementsOf(workers);
            }
        } finally {
            storage.close();
        }
        Set<Symptom> plain = loud(plainRun(SparkTesting::deepSigmoid));
        assertThat(spark).contains(Symptom.VANISHING_GRADIENT).isEqualTo(plain);
        assertThat(sparkRoot).isEqualTo(Symptom.VANISHING_GRADIENT);
        assertThat(workers).hasSize(2);

        FileStatsStorage reopened = new FileStatsStorage(file);
        try {
            assertThat(reopened.listSessionIDs()).contains(session);
            assertThat(reopened.listWorkerIDsForSession(session)).containsAll(workers)
                    .contains(SparkDebugSession.DRIVER_WORKER);
            for (String worker : workers) {
                assertThat(reopened.getNumUpdateRecordsFor(session, RecordKind.GRADIENTS.typeId(), worker))
                        .as("gradient records of %s", worker).isPositive();
                assertThat(reopened.getNumUpdateRecordsFor(session, RecordKind.FINDING.typeId(), worker))
                        .as("findings of %s", worker).isPositive();
            }
            assertThat(reopened.getNumUpdateRecordsFor(session, RecordKind.DIAGNOSIS.typeId(),
                    SparkDebugSession.DRIVER_WORKER)).isPositive();
            // the Debug page offers every worker of the session, and each worker's findings
            UIServer ui = VertxUIServer.getInstance(0, false, null);
            try {
                ui.attach(reopened);
                String base = "http://127.0.0.1:" + ui.getPort() + DebugModule.API_PATH + "/sessions";
                String sessions = get(base);
                assertThat(sessions).contains(session).contains(SparkDebugSession.DRIVER_WORKER);
                for (String worker : workers) {
                    assertThat(sessions).contains(worker);
                    assertThat(get(base + "/" + session + "/findings?worker=" + worker))
                            .contains("VANISHING_GRADIENT");
                }
            } finally {
                UIServer.stopInstance();
            }
        } finally {
            reopened.close();
        }
    }

    private static String get(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Finding> plainRun(Supplier<MultiLayerNetwork> network) {
        MultiLayerNetwork net = network.get();
        DebugSuite suite = DebugSuite.builder().logging(false).build().attachTo(net);
        net.fit(new ListDataSetIterator<>(FashionMnist.load(FashionMnist.Split.TRAIN, EXAMPLES)
                .batchBy(SparkTesting.BATCH), 1), 1);
        suite.close();
        return suite.findings();
    }

    private static Set<Symptom> loud(List<Finding> findings) {
        Set<Symptom> s = findings.stream().filter(f -> f.severity() != Severity.INFO).map(Finding::symptom)
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.println("loud symptoms " + s);
        return s;
    }
}
