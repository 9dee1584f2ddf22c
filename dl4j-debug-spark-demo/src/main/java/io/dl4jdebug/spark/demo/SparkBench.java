package io.dl4jdebug.spark.demo;

import io.dl4jdebug.spark.SparkDebug;
import io.dl4jdebug.spark.SparkDebugOptions;
import io.dl4jdebug.spark.SparkDebugSession;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Overhead of the suite on a Spark training run: the healthy demo's epoch trained on a fresh network without
 * listeners ("bare") and with {@link SparkDebug#attach} (records into an InMemoryStatsStorage, executors' logging
 * off), alternating which goes first each round, after unmeasured warm-up rounds. Reports the median seconds of
 * each and the ratio of the medians, plus the median of the per-round ratios. Not thread safe.
 */
final class SparkBench {

    private final JavaSparkContext sc;
    private final JavaRDD<DataSet> train;
    private final int workers;
    private final int batch;
    private final int averaging;
    private final boolean direct;

    SparkBench(JavaSparkContext sc, JavaRDD<DataSet> train, int workers, int batch, int averaging, boolean direct) {
        this.direct = direct;
        this.sc = sc;
        this.train = train;
        this.workers = workers;
        this.batch = batch;
        this.averaging = averaging;
    }

    /**
     * @param rounds measured rounds (each: one bare and one monitored epoch)
     * @param warmup rounds run first and not measured (the JIT and Spark warm up: epochs got 2-3x faster over the
     *               first rounds here)
     * @param out    where the table goes
     */
    void run(int rounds, int warmup, PrintStream out) {
        out.printf(Locale.ROOT, "== Bench: one epoch per run, bare vs dl4j-debug suite, alternating; %d warm-up "
                + "rounds%n", warmup);
        for (int w = 0; w < warmup; w++) {
            runOnce(false);
            runOnce(true);
        }
        double[] bare = new double[rounds];
        double[] suite = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            boolean suiteFirst = r % 2 == 1;
            if (suiteFirst) {
                suite[r] = runOnce(true);
                bare[r] = runOnce(false);
            } else {
                bare[r] = runOnce(false);
                suite[r] = runOnce(true);
            }
            ratio[r] = suite[r] / bare[r];
            out.printf(Locale.ROOT, "   round %d: bare %.2f s, suite %.2f s (%.3fx)%n", r + 1, bare[r], suite[r],
                    ratio[r]);
        }
        double mb = median(bare);
        double ms = median(suite);
        out.println();
        out.println("| variant | median s/epoch | vs bare |");
        out.println("| --- | ---: | ---: |");
        out.printf(Locale.ROOT, "| bare Spark fit | %.2f | 1.000x |%n", mb);
        out.printf(Locale.ROOT, "| dl4j-debug suite (SparkDebug.attach) | %.2f | %.3fx |%n", ms, ms / mb);
        out.printf(Locale.ROOT, "ratio of medians %.3fx; median of per-round ratios %.3fx (%d rounds)%n", ms / mb,
                median(ratio), rounds);
    }

    private double runOnce(boolean withSuite) {
        SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, DemoNetworks.mlp(new Adam(1e-3)),
                DemoNetworks.master(workers, batch, averaging, direct));
        SparkDebugSession session = withSuite ? SparkDebug.attach(net, new InMemoryStatsStorage(),
                SparkDebugOptions.builder().workerLogging(false).build()) : null;
        long start = System.nanoTime();
        net.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (session != null) {
            session.endEpoch();
            session.close();
        }
        return seconds;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
