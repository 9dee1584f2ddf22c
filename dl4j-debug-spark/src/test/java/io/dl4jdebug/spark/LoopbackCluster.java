package io.dl4jdebug.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A Spark standalone cluster on loopback for the process-separated tests: Spark's {@code local-cluster[2,1,M]}
 * master runs a standalone master and two workers inside the test's JVM, and each worker launches its executor as a
 * separate JVM on the test's classpath (with the test JVM's {@code --add-opens} flags). The workers launch executors
 * through Spark's launcher, which needs a Spark home with a {@code jars} directory (found through the {@code RELEASE}
 * file) and the Scala version: the module's surefire configuration sets {@code SPARK_HOME} to
 * {@code target/spark-home} and {@code SPARK_SCALA_VERSION}; {@link #start} creates that directory.
 */
final class LoopbackCluster {

    /** Executors (one per worker, one core each). */
    static final int EXECUTORS = 2;
    /** Memory per worker and executor heap, MiB. */
    static final int MEMORY_MB = 1024;

    private LoopbackCluster() {
    }

    /**
     * @param appName the application's name
     * @return a Spark context on a loopback standalone cluster with {@link #EXECUTORS} executor JVMs, each registered
     */
    static JavaSparkContext start(String appName) {
        prepareSparkHome();
        String opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).collect(Collectors.joining(" "));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        SparkConf conf = new SparkConf().setMaster("local-cluster[" + EXECUTORS + ",1," + MEMORY_MB + "]")
                .setAppName(appName)
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.memory", MEMORY_MB + "m")
                .set("spark.executor.extraClassPath", classpath)
                .set("spark.executor.extraJavaOptions", opens + " -Dorg.bytedeco.javacpp.maxbytes=2G "
                        + "-Dorg.bytedeco.javacpp.maxphysicalbytes=3G")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                // the driver waits for both executors before the first job
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
        return new JavaSparkContext(conf);
    }

    private static void prepareSparkHome() {
        String home = System.getenv("SPARK_HOME");
        if (home == null) {
            throw new IllegalStateException("SPARK_HOME is not set: the module's surefire configuration sets it to "
                    + "target/spark-home for the loopback cluster's workers");
        }
        try {
            Files.createDirectories(Path.of(home, "jars"));
            Path release = Path.of(home, "RELEASE");
            if (!Files.exists(release)) {
                Files.writeString(release, "Spark from the test classpath (dl4j-debug-spark's loopback cluster)\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Spark home " + home + " for the loopback cluster", e);
        }
    }
}
