package io.dl4jdebug.spark.demo;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.MissingDataException;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.publish.LoggingSink;
import io.dl4jdebug.spark.SparkDebug;
import io.dl4jdebug.spark.SparkDebugOptions;
import io.dl4jdebug.spark.SparkDebugSession;
import io.dl4jdebug.spark.WorkerMerge;
import io.dl4jdebug.ui.DebugModule;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./dl4j-debug spark-demo}: the demo's ReLU MLP on Fashion-MNIST trained with DL4J's Spark training
 * (ParameterAveragingTrainingMaster) and dl4j-debug attached through {@link SparkDebug#attach}: a healthy run
 * (Adam(1e-3), validation at every driver epoch) and a diverging one (Sgd(1e4)), each with the workers seen, the
 * merged findings and the incidents; {@code --bench} measures the suite's overhead instead.
 */
@Command(name = "spark-demo", mixinStandardHelpOptions = true, version = "dl4j-debug 0.1.0",
        description = "Healthy and diverging Fashion-MNIST runs on DL4J's Spark training "
                + "(ParameterAveragingTrainingMaster) with dl4j-debug attached; findings merged at the driver.")
public final class SparkDemoCommand implements Callable<Integer> {

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: ${DEFAULT-VALUE}: local "
            + "mode, 2 worker threads, loopback only). 'local-cluster[2,1,1024]': a standalone master and two "
            + "workers on loopback, each executor a JVM of its own (the launcher sets SPARK_HOME). On a cluster, run "
            + "through spark-submit instead (README, \"Running on a cluster\").")
    private String master = "local[2]";

    @Option(names = "--workers", paramLabel = "N", description = "Workers per averaging round (default: "
            + "${DEFAULT-VALUE}).")
    private int workers = 2;

    @Option(names = "--examples", paramLabel = "N", description = "Training examples (default: ${DEFAULT-VALUE}).")
    private int examples = 4096;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of the healthy run (default: "
            + "${DEFAULT-VALUE}).")
    private int epochs = 3;

    @Option(names = "--batch", paramLabel = "N", description = "Minibatch per worker (default: ${DEFAULT-VALUE}).")
    private int batch = 32;

    @Option(names = "--averaging", paramLabel = "N", description = "Minibatches per worker between two "
            + "averagings (default: ${DEFAULT-VALUE}).")
    private int averaging = 5;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files (default: "
            + "${DEFAULT-VALUE}).")
    private Path dataDir = FashionMnist.defaultDirectory();

    @Option(names = "--ui", description = "Serve the DL4J training UI with the Debug page while training (DL4J's "
            + "server listens on all network interfaces).")
    private boolean ui;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "Port of the UI (default: ${DEFAULT-VALUE}).")
    private int uiPort = 9000;

    @Option(names = "--ui-seconds", paramLabel = "N", description = "With --ui: stop serving N seconds after "
            + "training instead of waiting for Ctrl+C.")
    private Integer uiSeconds;

    @Option(names = "--stats-file", paramLabel = "FILE", description = "Also write both runs to a FileStatsStorage "
            + "file (open it later: mvn -q -pl dl4j-debug-ui -am compile exec:java -Dexec.args=FILE).")
    private Path statsFile;

    @Option(names = "--bench", description = "Measure the suite's overhead on the Spark run instead (bare vs "
            + "suite, alternating).")
    private boolean bench;

    @Option(names = "--rounds", paramLabel = "N", description = "With --bench: measured rounds (default: "
            + "${DEFAULT-VALUE}).")
    private int rounds = 10;

    @Option(names = "--warmup", paramLabel = "N", description = "With --bench: unmeasured warm-up rounds (default: "
            + "${DEFAULT-VALUE}).")
    private int warmup = 3;

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        quietLogs();
        System.exit(new CommandLine(new SparkDemoCommand()).execute(args));
    }

    /** Spark, Hadoop, Netty, DL4J and ND4J log at WARN; dl4j-debug's findings stay visible. */
    private static void quietLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("io.dl4jdebug").setLevel(ch.qos.logback.classic.Level.INFO);
            // "Stage N contains a task of very large size": the demo parallelizes its minibatches from the driver
            context.getLogger("org.apache.spark.scheduler.TaskSetManager").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    @Override
    public Integer call() throws Exception {
        String invalid = validate();
        if (invalid != null) {
            System.err.println("spark-demo: " + invalid);
            return 2;
        }
        PrintStream out = System.out;
        DataSet trainData;
        DataSet validData;
        try {
            trainData = FashionMnist.load(dataDir, FashionMnist.Split.TRAIN, examples, true);
            validData = FashionMnist.load(dataDir, FashionMnist.Split.TEST, 1024, true);
        } catch (MissingDataException e) {
            System.err.println("spark-demo: " + e.getMessage());
            return 2;
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("dl4j-debug spark-demo")
                .set("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        boolean separateExecutors = !inProcess(master);
        if (separateExecutors) {
            executorsLikeThisJvm(conf);
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            JavaRDD<DataSet> train = sc.parallelize(trainData.batchBy(batch), workers).cache();
            out.printf(Locale.ROOT, "Spark %s (master %s), %d workers, %d per worker, averaging every %d minibatches; "
                    + "Fashion-MNIST: %d training, %d validation examples%n%n", sc.version(), master, workers, batch,
                    averaging, trainData.numExamples(), validData.numExamples());
            if (bench) {
                new SparkBench(sc, train, workers, batch, averaging, separateExecutors).run(rounds, warmup, out);
                return 0;
            }
            StatsStorage storage = storage();
            UIServer server = null;
            if (ui) {
                server = VertxUIServer.getInstance(uiPort, false, null);
                server.attach(storage);
                out.printf(Locale.ROOT, "DL4J UI: http://localhost:%d%s (Debug page; DL4J's server listens on all "
                        + "network interfaces)%n%n", server.getPort(), DebugModule.PAGE_PATH);
            }
            try {
                out.println("== 1. Healthy run: ReLU MLP, Adam(1e-3), " + epochs + " epochs");
                run(sc, train, storage, new Adam(1e-3), epochs, validData, "healthy", out);
                out.println();
                out.println("== 2. Diverging run: the same MLP with Sgd(1e4), a learning rate far too high");
                run(sc, train, storage, new Sgd(1e4), 1, null, "diverging", out);
                if (server != null) {
                    awaitUi(out);
                }
            } finally {
                if (server != null) {
                    server.stop();
                }
                storage.close();
            }
        }
        return 0;
    }

    private String validate() {
        if (warmup < 0) {
            return "--warmup must be >= 0 but was " + warmup;
        }
        if (workers < 1 || examples < 1 || epochs < 1 || batch < 1 || averaging < 1 || rounds < 1) {
            return "--workers, --examples, --epochs, --batch, --averaging and --rounds must be >= 1";
        }
        if (uiPort < 0 || uiPort > 0xFFFF) {
            return "--ui-port must be in 0..65535 but was " + uiPort;
        }
        if (statsFile != null && Files.isDirectory(statsFile)) {
            return "--stats-file " + statsFile + " is a directory; give a file name";
        }
        return null;
    }

    private StatsStorage storage() throws java.io.IOException {
        if (statsFile == null) {
            return new InMemoryStatsStorage();
        }
        Path parent = statsFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        System.out.println("Stats file: " + statsFile.toAbsolutePath());
        return new FileStatsStorage(statsFile.toFile());
    }

    private void run(JavaSparkContext sc, JavaRDD<DataSet> train, StatsStorageRouter storage, IUpdater updater,
                     int epochCount, DataSet valid, String label, PrintStream out) {
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, DemoNetworks.mlp(updater),
                DemoNetworks.master(workers, batch, averaging, !inProcess(master)));
        String session = "spark-demo-" + label + "-" + System.currentTimeMillis();
        SparkDebugOptions.Builder options = SparkDebugOptions.builder().sessionId(session).workerLogging(false)
                .workerWindow(50);
        if (valid != null) {
            options.validation(new ListDataSetIterator<>(valid.batchBy(256), 256));
        }
        if (ui || statsFile != null) {
            // DL4J's own pages (Overview, Model, System) for the same session
            options.listener(new StatsListener(null, 10, session));
        }
        long start = System.nanoTime();
        try (SparkDebugSession debug = SparkDebug.attach(net, storage, options.build())) {
            for (int e = 0; e < epochCount; e++) {
                net.fit(train);
                FittingStatus status = debug.endEpoch();
                out.printf(Locale.ROOT, "   epoch %d: averaged score %.4f, fitting: %s%n", e, net.getScore(), status);
            }
            out.printf(Locale.ROOT, "   trained in %.1f s; session %s; workers seen at the driver: %s%n",
                    (System.nanoTime() - start) / 1e9, session, debug.workers());
            debug.firstNonFinite().ifPresent(ev -> out.println("   first NaN/Inf: " + ev.describe()));
            print(debug, out);
        }
    }

    private static void print(SparkDebugSession debug, PrintStream out) {
        if (debug.findings().isEmpty()) {
            out.println("   findings: none");
            return;
        }
        out.printf(Locale.ROOT, "   findings (%d from the workers, merged into %d):%n", debug.workerFindings().size(),
                debug.findings().size());
        for (Finding f : debug.findings()) {
            out.println("     " + f.severity() + " " + LoggingSink.format(f)
                    + (WorkerMerge.workers(f).isEmpty() ? " [driver]" : ""));
        }
        Diagnosis diagnosis = debug.diagnosis();
        out.println("   incidents, root cause first:");
        for (Incident i : diagnosis.incidents()) {
            out.printf(Locale.ROOT, "     %s %s%s%n", i.severity(), i.root().summary(),
                    i.consequences().isEmpty() ? "" : " (" + i.explains() + ")");
            i.fix().stream().limit(2).forEach(fix -> out.println("       fix: " + fix));
        }
        out.println("   run report (tasks, executors, failures at the driver):");
        debug.report().lines().forEach(line -> out.println("     " + line));
    }

    private void awaitUi(PrintStream out) throws InterruptedException {
        if (uiSeconds != null) {
            out.printf(Locale.ROOT, "Training done; serving the UI for %d more seconds.%n", uiSeconds);
            Thread.sleep(uiSeconds * 1000L);
            return;
        }
        out.println("Training done; the UI keeps serving. Ctrl+C stops.");
        out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** @return whether the master runs the executors as threads of this JVM ({@code local}, {@code local[N]}) */
    static boolean inProcess(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /**
     * Executors in their own JVMs (a standalone cluster, {@code local-cluster[N,cores,MiB]}) on this machine get this
     * JVM's classpath and its {@code --add-opens} flags (Spark 3.3 on Java 17), unless set already (e.g. with
     * {@code -Dspark.executor.extraClassPath=...}); with {@code spark-submit} on a real cluster, see the README's
     * "Running on a cluster".
     */
    private static void executorsLikeThisJvm(SparkConf conf) {
        if (!conf.contains("spark.executor.extraClassPath")) {
            // absolute: an executor starts in its worker's work directory (the launcher's classpath is relative)
            conf.set("spark.executor.extraClassPath", java.util.Arrays.stream(System.getProperty("java.class.path")
                    .split(java.io.File.pathSeparator)).filter(e -> !e.isEmpty())
                    .map(e -> java.nio.file.Path.of(e).toAbsolutePath().toString())
                    .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
        }
        if (!conf.contains("spark.executor.extraJavaOptions")) {
            conf.set("spark.executor.extraJavaOptions", String.join(" ", java.lang.management.ManagementFactory
                    .getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens"))
                    .toList()));
        }
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", System.getenv().getOrDefault("OMP_NUM_THREADS", "1"));
    }
}
