package io.dl4jdebug.samples.bench;

import io.dl4jdebug.listener.DebugSuite;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --soak N}: checks that monitoring holds no allocation that grows with iterations. Trains a tiny MLP
 * for N iterations, bare and with everything dl4j-debug attaches (the suite at its default configuration, rules and
 * recording included, plus the layer wrappers on every layer), and prints the used heap and ND4J off-heap memory
 * after a full GC at every checkpoint. The verdict compares the monitored run's growth between the first checkpoint
 * and the last with the bare run's (a bare run that shrank counts as zero growth). Not thread safe.
 */
final class SoakRun {

    /** Allowed heap growth of the monitored run beyond the bare run's, between first and last checkpoint. */
    static final long TOLERANCE_BYTES = 2L * 1024 * 1024;

    private final Workload workload;

    SoakRun(Workload workload) {
        this.workload = workload;
    }

    /**
     * @param iterations total iterations per run
     * @param every      checkpoint interval
     * @return true when the monitored run did not grow the heap beyond the bare run's growth plus the tolerance
     */
    boolean run(int iterations, int every) {
        Variant bare = Variant.listeners("bare fit", List::of);
        Variant monitored = new Variant("suite (default config) + layer wrappers", java.util.OptionalDouble.empty(),
                model -> {
                    Variant.Setup wrapped = MonitorOverheadCommand.wrappers().setup().apply(model);
                    List<TrainingListener> all = new ArrayList<>(MonitorOverheadCommand.listenersOf(wrapped.model()));
                    all.addAll(DebugSuite.builder().logging(false).build().listeners());
                    Variant.setListeners(wrapped.model(), all);
                    return wrapped;
                });
        System.out.printf(Locale.ROOT, "Soak: %s, %d iterations; used heap and ND4J off-heap after a full GC every "
                + "%d iterations%n%n", workload.description(), iterations, every);
        long[] bareGrowth = soak(bare, iterations, every);
        long[] monitoredGrowth = soak(monitored, iterations, every);
        // A bare run that shrank (its first checkpoint still held start-up garbage) is no credit for the monitored one.
        long excess = monitoredGrowth[0] - Math.max(0, bareGrowth[0]);
        boolean ok = excess <= TOLERANCE_BYTES;
        System.out.printf(Locale.ROOT, "%nHeap growth from iteration %d to %d: bare %+.1f KiB, monitored %+.1f KiB "
                        + "(off-heap: bare %+.1f KiB, monitored %+.1f KiB) -> %s (tolerance %.0f KiB beyond bare)%n",
                every, iterations, bareGrowth[0] / 1024.0, monitoredGrowth[0] / 1024.0, bareGrowth[1] / 1024.0,
                monitoredGrowth[1] / 1024.0, ok ? "no growth" : "GROWS", TOLERANCE_BYTES / 1024.0);
        System.out.printf(Locale.ROOT, "Second half (iteration %d to %d): bare %+.1f KiB, monitored %+.1f KiB. The "
                        + "suite's RecordingSink keeps the last %d score snapshots and the last %d gradient, "
                        + "activation and layer-wrapper snapshots: with every-10 schedules both are full from "
                        + "iteration %d on.%n", (iterations / 2 / every) * every,
                iterations, bareGrowth[2] / 1024.0, monitoredGrowth[2] / 1024.0,
                io.dl4jdebug.publish.RecordingSink.DEFAULT_CAPACITY,
                io.dl4jdebug.publish.RecordingSink.DEFAULT_LAYER_SNAPSHOT_CAPACITY,
                Math.max(io.dl4jdebug.publish.RecordingSink.DEFAULT_CAPACITY,
                        io.dl4jdebug.publish.RecordingSink.DEFAULT_LAYER_SNAPSHOT_CAPACITY * 10));
        return ok;
    }

    /** @return {heap growth, off-heap growth} from the first checkpoint to the last, heap growth over the second half */
    private long[] soak(Variant variant, int iterations, int every) {
        Variant.Setup setup = variant.setup().apply(workload.newNetwork());
        try {
            Model model = setup.model();
            System.out.println("| " + variant.name() + ": iteration | used heap after GC | ND4J off-heap | ms/it |");
            System.out.println("| ---: | ---: | ---: | ---: |");
            MemoryReading first = null;
            MemoryReading last = null;
            MemoryReading half = null;
            long start = System.nanoTime();
            for (int i = 1; i <= iterations; i++) {
                AlternatingBenchmark.fit(model, workload.batches().get(i % workload.batches().size()));
                if (i % every == 0 || i == iterations) {
                    double ms = (System.nanoTime() - start) / 1e6 / every;
                    last = MemoryReading.afterGc();
                    if (first == null) {
                        first = last;
                    }
                    if (i == (iterations / 2 / every) * every) {
                        half = last;
                    }
                    System.out.printf(Locale.ROOT, "| %d | %.2f MiB | %.2f MiB | %.3f |%n", i,
                            last.heapBytes() / 1048576.0, last.offHeapBytes() / 1048576.0, ms);
                    start = System.nanoTime();
                }
            }
            MemoryReading mid = half == null ? first : half;
            return new long[] {last.heapBytes() - first.heapBytes(), last.offHeapBytes() - first.offHeapBytes(),
                    last.heapBytes() - mid.heapBytes()};
        } finally {
            setup.release().run();
        }
    }
}
