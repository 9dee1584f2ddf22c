package io.dl4jdebug.samples.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints benchmark results as a Markdown table (readable in a terminal, pasteable into the README).
 * Memory of the bare fit is absolute; of the other variants, the difference to the bare fit.
 */
final class BenchTable {

    /** Memory overhead target for dl4j-debug variants, as a share of the bare fit's footprint. */
    static final double MEMORY_TARGET = 0.05;

    private BenchTable() {
    }

    /**
     * @param out      where to print
     * @param variants the variants, bare first (for names and targets)
     * @param results  their results, same order
     */
    static void print(PrintStream out, List<Variant> variants, List<AlternatingBenchmark.Result> results) {
        out.println("| variant | ms/iteration | iterations/s | time vs bare (median) | per-round range | target "
                + "| heap kept | heap allocated/it | off-heap peak | memory vs bare |");
        out.println("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        AlternatingBenchmark.Memory bare = results.get(0).memory();
        for (int i = 0; i < results.size(); i++) {
            AlternatingBenchmark.Result r = results.get(i);
            Variant v = variants.get(i);
            String target = v.target().isPresent()
                    ? String.format(Locale.ROOT, "<= %.2fx %s", v.target().getAsDouble(),
                    r.medianRatio() <= v.target().getAsDouble() ? "met" : "**missed**")
                    : "";
            String memory;
            if (r.memory() == null) {
                memory = "| | | | |";
            } else if (i == 0) {
                memory = String.format(Locale.ROOT, "| %s | %s | %s | %s |", mib(bare.baseHeap() + bare.retainedHeap()),
                        kib(bare.allocatedPerIteration()), mib(bare.baseOffHeap() + bare.peakOffHeap()),
                        mib(bare.footprint()) + " total");
            } else {
                AlternatingBenchmark.Memory m = r.memory();
                double overhead = (double) (m.footprint() - bare.footprint()) / bare.footprint();
                memory = String.format(Locale.ROOT, "| %s | %s | %s | %+.1f %% |",
                        signedMib(m.baseHeap() + m.retainedHeap() - bare.baseHeap() - bare.retainedHeap()),
                        signedKib(m.allocatedPerIteration() - bare.allocatedPerIteration()),
                        signedMib(m.baseOffHeap() + m.peakOffHeap() - bare.baseOffHeap() - bare.peakOffHeap()),
                        100 * overhead);
            }
            out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %.3fx | %.2f-%.2f | %s %s%n", r.name(),
                    r.medianMsPerIteration(), r.iterationsPerSecond(), r.medianRatio(), r.minRatio(), r.maxRatio(),
                    target, memory);
        }
        out.println();
        out.println("Memory: each variant once more on a fresh network after a full GC; heap kept = used heap after "
                + "a GC at the end of its run; off-heap peak = ND4J buffers + workspaces, read after every "
                + "iteration with a GC before each (live + one iteration's allocations); memory vs bare = (heap kept + off-heap peak) against the bare fit's. Bare: absolute; "
                + "others: difference to bare.");
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String signedMib(long bytes) {
        return String.format(Locale.ROOT, "%+.2f MiB", bytes / 1048576.0);
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }

    private static String signedKib(long bytes) {
        return String.format(Locale.ROOT, "%+.0f KiB", bytes / 1024.0);
    }
}
