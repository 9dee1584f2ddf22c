package io.dl4jdebug.samples.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times variants of the same training run in one process, alternating them round by round (the order rotates each
 * round) after warm-up rounds, so that machine noise hits every variant alike. Reports the median seconds per
 * iteration of each variant and the median of its per-round ratio to the first variant (the baseline).
 * Not thread safe.
 */
public final class AlternatingBenchmark {

    /**
     * Result of one variant.
     *
     * @param name                 the variant
     * @param medianMsPerIteration median over rounds of milliseconds per iteration
     * @param medianRatio          median over rounds of (this variant's time / baseline's time in the same round)
     * @param minRatio             smallest per-round ratio
     * @param maxRatio             largest per-round ratio
     */
    public record Result(String name, double medianMsPerIteration, double medianRatio, double minRatio,
                         double maxRatio) {
    }

    private final Supplier<MultiLayerNetwork> networks;
    private final List<DataSet> batches;
    private final int iterationsPerRun;

    /**
     * @param networks         makes a fresh, identical network for each variant
     * @param batches          minibatches to cycle through
     * @param iterationsPerRun iterations in one timed run
     */
    public AlternatingBenchmark(Supplier<MultiLayerNetwork> networks, List<DataSet> batches, int iterationsPerRun) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("batches must not be empty");
        }
        if (iterationsPerRun < 1) {
            throw new IllegalArgumentException("iterationsPerRun must be >= 1 but was " + iterationsPerRun);
        }
        this.networks = networks;
        this.batches = List.copyOf(batches);
        this.iterationsPerRun = iterationsPerRun;
    }

    /**
     * @param variants variants to time; the first is the baseline
     * @param warmup   untimed rounds
     * @param rounds   timed rounds
     * @return one result per variant, in the given order
     */
    public List<Result> run(List<Variant> variants, int warmup, int rounds) {
        if (rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("need rounds >= 1 and warmup >= 0, got " + rounds + ", " + warmup);
        }
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (Variant v : variants) {
            MultiLayerNetwork net = networks.get();
            net.setListeners(v.listeners().get());
            nets.add(net);
        }
        int n = variants.size();
        double[][] seconds = new double[n][rounds];
        for (int round = -warmup; round < rounds; round++) {
            for (int k = 0; k < n; k++) {
                int v = Math.floorMod(k + round, n);
                double s = timeRun(nets.get(v));
                if (round >= 0) {
                    seconds[v][round] = s;
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = seconds[v][r] / seconds[0][r];
            }
            results.add(new Result(variants.get(v).name(), 1000 * median(seconds[v]) / iterationsPerRun,
                    median(ratios), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0)));
        }
        return results;
    }

    private double timeRun(MultiLayerNetwork net) {
        long start = System.nanoTime();
        for (int i = 0; i < iterationsPerRun; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
