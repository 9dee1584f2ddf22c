package io.dl4jdebug.spark;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.ui.DebugModule;
import io.dl4jdebug.ui.storage.DebugRecord;
import io.dl4jdebug.ui.storage.LossPoint;
import io.dl4jdebug.ui.storage.RecordKind;
import io.dl4jdebug.data.FashionMnist;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.core.util.UIDProvider;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The suite on DL4J's Spark training with every executor in its own JVM (a standalone master and two workers on
 * loopback, {@link LoopbackCluster}): static state per executor process, records through DL4J's own path from the
 * executors to the driver, an executor killed mid-round, and a user's router that throws at the driver.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessSeparatedTrainingTest {

    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        SparkTesting.stopLocal();
        sc = LoopbackCluster.start("dl4j-debug-process-separated-test");
    }

    @AfterAll
    static void stopCluster() {
        if (sc != null) {
            sc.stop();
        }
    }

    /**
     * Both executor processes take tasks: two tasks at once land on two JVMs (after a killed executor, its worker's
     * replacement has to start first; Spark's executor list can still name the dead one for a while).
     */
    @BeforeEach
    void awaitExecutors() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> sc
                .parallelize(List.of(1, 2), LoopbackCluster.EXECUTORS).map(i -> {
                    Thread.sleep(300);
                    return ProcessHandle.current().pid();
                }).distinct().count() == LoopbackCluster.EXECUTORS);
    }

    private static JavaRDD<DataSet> train(int examples) {
        List<DataSet> batches = FashionMnist.load(FashionMnist.Split.TRAIN, examples).batchBy(SparkTesting.BATCH);
        return sc.parallelize(batches, LoopbackCluster.EXECUTORS);
    }

    /**
     * @return SparkTesting's master with the Direct training approach: the default (Export) writes the minibatches to
     *         the default Hadoop file system, which DL4J refuses when that is the local one and Spark is not in local
     *         mode
     */
    private static ParameterAveragingTrainingMaster master() {
        return new ParameterAveragingTrainingMaster.Builder(LoopbackCluster.EXECUTORS, SparkTesting.BATCH)
                .batchSizePerWorker(SparkTesting.BATCH).averagingFrequency(SparkTesting.AVERAGING)
                .workerPrefetchNumBatches(0).saveUpdater(true).rngSeed(42)
                .rddTrainingApproach(RDDTrainingApproach.Direct).build();
    }

    /** @return the JVM UID part of DL4J's worker ID ({@code <JVM UID>_<n>}) */
    private static String jvmOf(String worker) {
        int underscore = worker.lastIndexOf('_');
        return underscore < 0 ? worker : worker.substring(0, underscore);
    }

    @Test
    @Order(1)
    void twoExecutorJvmsReportToTheDriverWhichMergesTheirFindings() throws Exception {
        File file = dir.resolve("cluster-run.dl4j").toFile();
        String session;
        Set<String> workers;
        FileStatsStorage storage = new FileStatsStorage(file);
        try {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, SparkTesting.mlp(new Sgd(1e4)),
                    master());
            try (SparkDebugSession debug = SparkDebug.attach(spark, storage, SparkDebugOptions.builder()
                    .workerWindow(20).workerLogging(false).build())) {
                spark.fit(train(640));
                debug.endEpoch();
                session = debug.sessionId();
                workers = debug.workers();
                System.out.println("cluster workers " + workers + " findings " + debug.findings() + " nan "
                        + debug.nonFiniteEvents() + "\n  report " + debug.report().lines());
                // two executor processes, neither of them the driver's JVM
                Set<String> jvms = workers.stream().map(ProcessSeparatedTrainingTest::jvmOf)
                        .collect(Collectors.toSet());
                assertThat(jvms).hasSize(2).doesNotContain(UIDProvider.getJVMUID());
                NonFiniteEvent first = debug.firstNonFinite().orElseThrow();
                assertThat(workers).contains(first.worker());
                List<Finding> nonFinite = debug.findings().stream().filter(f -> f.symptom() == Symptom.NON_FINITE)
                        .toList();
                assertThat(nonFinite).hasSize(1);
                assertThat(nonFinite.get(0).firstIteration()).isEqualTo(first.iteration());
                assertThat(nonFinite.get(0).message()).contains("iteration " + first.iteration())
                        .contains("worker " + first.worker());
                // the same finding on both executor processes is one finding naming both workers
                assertThat(debug.findings()).anySatisfy(f -> assertThat(WorkerMerge.workers(f))
                        .containsExactlyInAnyOrderElementsOf(workers));
                assertThat(debug.report().tasksRepeated()).isFalse();
            }
        } finally {
            storage.close();
        }
        FileStatsStorage reopened = new FileStatsStorage(file);
        try {
            assertThat(reopened.listWorkerIDsForSession(session)).containsAll(workers)
                    .contains(SparkDebugSession.DRIVER_WORKER);
            for (String worker : workers) {
                assertThat(reopened.getNumUpdateRecordsFor(session, RecordKind.NON_FINITE.typeId(), worker))
                        .as("NaN records of %s", worker).isPositive();
            }
            UIServer ui = VertxUIServer.getInstance(0, false, null);
            try {
                ui.attach(reopened);
                String base = "http://127.0.0.1:" + ui.getPort() + DebugModule.API_PATH + "/sessions";
                String sessions = get(base);
                assertThat(sessions).contains(session).contains(SparkDebugSession.DRIVER_WORKER);
                for (String worker : workers) {
                    assertThat(sessions).contains(worker);
                    assertThat(get(base + "/" + session + "/findings?worker=" + worker)).contains("NON_FINITE");
                }
            } finally {
                UIServer.stopInstance();
            }
        } finally {
            reopened.close();
        }
    }

    @Test
    @Order(3)
    void anExecutorKilledMidRoundIsRepeatedWithoutDuplicatesAndTheReportSaysSo() throws Exception {
        Path marker = dir.resolve("kill");
        java.nio.file.Files.createDirectories(marker);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, SparkTesting.deepSigmoid(), master());
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        // the executor that first reaches iteration 7 (the second averaging round) writes its process ID and waits
        CompletableFuture<Long> killed = CompletableFuture.supplyAsync(() -> {
            Path pidFile = marker.resolve("pid");
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> java.nio.file.Files.exists(pidFile));
            long pid = Long.parseLong(read(pidFile).strip());
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            ProcessHandle executor = ProcessHandle.of(pid).orElseThrow();
            executor.destroyForcibly();
            executor.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            return pid;
        });
        try (SparkDebugSession debug = SparkDebug.attach(spark, storage, SparkDebugOptions.builder()
                .listener(new ExecutorKiller(marker.toString(), 7)).workerLogging(false).build())) {
            spark.fit(train(1280));
            debug.endEpoch();
            long pid = killed.get(1, TimeUnit.MINUTES);
            await().atMost(Duration.ofSeconds(30)).until(() -> debug.report().tasksRepeated());
            SparkRunReport report = debug.report();
            System.out.println("killed executor pid " + pid + "\n  workers " + debug.workers()
                    + "\n  incidents " + debug.diagnosis().loud().stream().map(i -> i.root().summary()).toList()
                    + "\n  report:\n    " + String.join("\n    ", report.lines()));
            assertThat(report.failed()).isNotEmpty();
            assertThat(report.lost()).singleElement().satisfies(e -> assertThat(e.reason()).contains("137"));
            assertThat(report.failed().get(0).reason()).containsIgnoringCase("executor");
            assertThat(report.lines()).anyMatch(l -> l.startsWith("task failed") && l.contains("repeated it"));
            // no duplicates: one finding per worker, symptom, layer and parameter; one loss point per round
            List<Finding> raw = debug.workerFindings();
            assertThat(raw.stream().map(f -> f.worker() + "/" + f.symptom() + "/" + f.layer() + "/"
                    + f.parameter()).toList()).doesNotHaveDuplicates();
            List<Long> rounds = driverLossIterations(storage, debug.sessionId());
            assertThat(rounds).doesNotHaveDuplicates().isSorted().hasSize(report.rounds());
            // no hole: every round of the epoch is on the curve, one averaging (5 iterations) apart
            for (int i = 1; i < rounds.size(); i++) {
                assertThat(rounds.get(i) - rounds.get(i - 1)).as("round %d", i).isEqualTo(SparkTesting.AVERAGING);
            }
            assertThat(report.rounds()).isEqualTo(1280 / (SparkTesting.BATCH * SparkTesting.AVERAGING
                    * LoopbackCluster.EXECUTORS));
            Finding vanishing = debug.findings().stream().filter(f -> f.symptom() == Symptom.VANISHING_GRADIENT)
                    .findFirst().orElseThrow();
            assertThat(WorkerMerge.workers(vanishing)).isSubsetOf(debug.workers()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(debug.diagnosis().first().orElseThrow().symptom()).isEqualTo(Symptom.VANISHING_GRADIENT);
        }
    }

    @Test
    @Order(2)
    void aRouterThatThrowsAtTheDriverIsCountedAndTrainingCompletes() {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, SparkTesting.mlp(new Adam(1e-3)),
                master());
        try (SparkDebugSession debug = SparkDebug.attach(spark, new FailingRouter(), SparkDebugOptions.builder()
                .workerLogging(false).build())) {
            spark.fit(train(640));
            debug.endEpoch();
            SparkRunReport report = debug.report();
            System.out.println("failing router report " + report.lines());
            assertThat(debug.workers()).hasSize(2);
            assertThat(report.failures()).anySatisfy(f -> {
                assertThat(f.name()).isEqualTo("router FailingRouter");
                assertThat(f.count()).isGreaterThan(1);
                assertThat(f.firstMessage()).contains("disk full");
            });
            assertThat(report.lines()).anyMatch(l -> l.startsWith("router FailingRouter failed"));
        }
    }

    private static List<Long> driverLossIterations(StatsStorage storage, String session) {
        return storage.getAllUpdatesAfter(session, RecordKind.LOSS.typeId(), SparkDebugSession.DRIVER_WORKER, 0)
                .stream().map(p -> ((DebugRecord) p).payload(LossPoint.class))
                .filter(p -> p.split() == LossPoint.Split.TRAIN).map(LossPoint::iteration).sorted().toList();
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
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

    /** A user's storage whose every write fails (a full disk). */
    private static final class FailingRouter implements StatsStorageRouter {
        private static IllegalStateException full() {
            return new IllegalStateException("disk full");
        }

        @Override
        public void putStorageMetaData(StorageMetaData storageMetaData) {
            throw full();
        }

        @Override
        public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
            throw full();
        }

        @Override
        public void putStaticInfo(Persistable staticInfo) {
            throw full();
        }

        @Override
        public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
            throw full();
        }

        @Override
        public void putUpdate(Persistable update) {
            throw full();
        }

        @Override
        public void putUpdate(Collection<? extends Persistable> updates) {
            throw full();
        }
    }
}
