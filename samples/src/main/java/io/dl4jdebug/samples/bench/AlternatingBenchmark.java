package io.dl4jdebug.samples.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times variants of the same training run in one process, alternating them round by round (the order rotates each
 * round) after warm-up rounds, so that machine noise hits every variant alike. Reports the median milliseconds per
 * iteration of each variant and the median of its per-round ratio to the first variant (the baseline).
 *
 * <p>Then measures memory, one variant at a time on a fresh network, after a full garbage collection: the used
 * heap after a collection at the end of the run (what the variant keeps), the peak used heap and the peak off-heap
 * ND4J memory read after every iteration, each iteration preceded by a collection (so a peak is what is live plus
 * what one iteration allocates, independent of when the collector would have run; see {@link MemoryReading}), and
 * the bytes the training thread allocated on the heap per iteration. Not thread safe.
 */
public final class AlternatingBenchmark {

    /**
     * Timing and memory of one variant. Memory figures of the baseline are absolute; those of the other variants
     * are differences to the baseline's.
     *
     * @param name                 the variant
     * @param medianMsPerIteration median over rounds of milliseconds per iteration
     * @param medianRatio          median over rounds of (this variant's time / baseline's time in the same round)
     * @param minRatio             smallest per-round ratio
     * @param maxRatio             largest per-round ratio
     * @param memory               memory of the variant's own run
     */
    public record Result(String name, double medianMsPerIteration, double medianRatio, double minRatio,
                         double maxRatio, Memory memory) {

        /** @return iterations per second at the median time */
        public double iterationsPerSecond() {
            return 1000 / medianMsPerIteration;
        }
    }

    /**
     * Memory of one variant's run on a fresh network, all relative to a reading after a full collection taken before
     * the network was built.
     *
     * @param retainedHeap       used heap after a collection at the end of the run (the network and what the variant
     *                           keeps)
     * @param peakHeap           peak used heap sampled after each iteration (depends on when the collector ran)
     * @param peakOffHeap        peak ND4J off-heap memory sampled after each iteration
     * @param allocatedPerIteration heap bytes the training thread allocated per iteration
     * @param baseHeap           used heap before the network was built (after a collection)
     * @param baseOffHeap        ND4J off-heap memory before the network was built
     */
    public record Memory(long retainedHeap, long peakHeap, long peakOffHeap, long allocatedPerIteration,
                         long baseHeap, long baseOffHeap) {

        /** @return retained heap plus peak off-heap memory: what the run holds at its largest, by this measure */
        public long footprint() {
            return baseHeap + retainedHeap + baseOffHeap + peakOffHeap;
        }
    }

    private final Workload workload;
    private final int iterationsPerRun;

    /**
     * @param workload         the network and minibatches
     * @param iterationsPerRun iterations in one timed run
     */
    public AlternatingBenchmark(Workload workload, int iterationsPerRun) {
        if (iterationsPerRun < 1) {
            throw new IllegalArgumentException("iterationsPerRun must be >= 1 but was " + iterationsPerRun);
        }
        this.workload = workload;
        this.iterationsPerRun = iterationsPerRun;
    }

    /**
     * @param variants         variants to time; the first is the baseline
     * @param warmup           untimed rounds
     * @param rounds           timed rounds
     * @param memoryIterations iterations of each variant's memory run (0: no memory measurement)
     * @return one result per variant, in the given order
     */
    public List<Result> run(List<Variant> variants, int warmup, int rounds, int memoryIterations) {
        if (rounds < 1 || warmup < 0 || memoryIterations < 0) {
            throw new IllegalArgumentException("need rounds >= 1, warmup >= 0 and memoryIterations >= 0, got "
                    + rounds + ", " + warmup + ", " + memoryIterations);
        }
        int n = variants.size();
        double[][] seconds = new double[n][rounds];
        List<Variant.Setup> setups = new ArrayList<>();
        try {
            for (Variant v : variants) {
                setups.add(v.setup().apply(workload.newNetwork()));
            }
            for (int round = -warmup; round < rounds; round++) {
                for (int k = 0; k < n; k++) {
                    int v = Math.floorMod(k + round, n);
                    double s = timeRun(setups.get(v).model(), iterationsPerRun);
                    if (round >= 0) {
                        seconds[v][round] = s;
                    }
                }
            }
        } finally {
            setups.forEach(s -> s.release().run());
            setups.clear();
        }
        List<Memory> memory = new ArrayList<>();
        if (memoryIterations > 0) {
            // Untimed, unrecorded: the first memory run after the timing phase read a spurious off-heap peak of
            // gigabytes once (ResNet), whichever variant it was; every variant is measured after this one.
            measureMemory(variants.get(0), memoryIterations);
        }
        for (Variant v : variants) {
            memory.add(memoryIterations == 0 ? null : measureMemory(v, memoryIterations));
        }
        List<Result> results = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = seconds[v][r] / seconds[0][r];
            }
            results.add(new Result(variants.get(v).name(), 1000 * median(seconds[v]) / iterationsPerRun,
                    median(ratios), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0),
                    memory.get(v)));
        }
        return results;
    }

    private Memory measureMemory(Variant variant, int iterations) {
        MemoryReading base = MemoryReading.afterGc();
        Variant.Setup setup = variant.setup().apply(workload.newNetwork());
        try {
            MemoryReading peak = MemoryReading.now();
            long threadId = Thread.currentThread().getId();
            long allocated = 0;
            for (int i = 0; i < iterations; i++) {
                // A collection before each iteration, so that the reading after it holds what is live plus what this
                // one iteration allocated, whenever the collector would otherwise have run.
                MemoryReading.collect();
                long before = allocatedBytes(threadId);
                fit(setup.model(), workload.batches().get(i % workload.batches().size()));
                allocated += allocatedBytes(threadId) - before;
                peak = peak.max(MemoryReading.now());
            }
            MemoryReading end = MemoryReading.afterGc();
            // Keep the network reachable until after the last reading.
            if (setup.model().numParams() < 0) {
                throw new IllegalStateException("unreachable");
            }
            return new Memory(end.heapBytes() - base.heapBytes(), peak.heapBytes() - base.heapBytes(),
                    peak.offHeapBytes() - base.offHeapBytes(), allocated / iterations, base.heapBytes(),
                    base.offHeapBytes());
        } finally {
            setup.release().run();
        }
    }

    private static long allocatedBytes(long threadId) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(threadId);
        }
        return 0;
    }

    private double timeRun(Model model, int iterations) {
        List<DataSet> batches = workload.batches();
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            fit(model, batches.get(i % batches.size()));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * One training iteration.
     *
     * @param model a MultiLayerNetwork or ComputationGraph
     * @param batch the minibatch
     */
    static void fit(Model model, DataSet batch) {
        if (model instanceof MultiLayerNetwork net) {
            net.fit(batch);
        } else {
            ((ComputationGraph) model).fit(batch);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
