package io.dl4jdebug.samples.bench;

import io.dl4jdebug.measure.HostReads;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --profile}: trains each variant on a fresh network with every listener callback timed by a
 * {@link TimedListener}, and prints milliseconds per iteration spent in each callback of each listener next to the
 * whole iteration. Time a wrapper spends inside DL4J's layers is not in any callback: it shows as the gap between
 * the iteration and the callbacks of the bare fit. Host reads ({@link HostReads}: values that cross from the device to
 * the JVM, each a synchronisation on CUDA) are counted per iteration inside each listener's callbacks and over the
 * whole iteration (which includes the layer wrappers' reads); reads per measured iteration divide a listener's reads by
 * the iterations in which it made any. Not thread safe.
 */
final class CallbackProfile {

    private final Workload workload;

    CallbackProfile(Workload workload) {
        this.workload = workload;
    }

    /**
     * @param variants   variants to profile (their listeners are decorated)
     * @param iterations iterations per variant (after as many untimed ones)
     */
    void run(List<Variant> variants, int iterations) {
        System.out.println();
        System.out.println("Profile: ms per iteration inside each listener callback (" + iterations
                + " iterations per variant after " + iterations + " untimed)");
        System.out.println();
        System.out.println("| variant | listener | forward | backward | gradient | iterationDone | all callbacks | "
                + "whole iteration | host reads/it. (callbacks) | host reads/measured it. | host reads/it. (whole "
                + "iteration) |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Variant v : variants) {
            Variant.Setup setup = v.setup().apply(workload.newNetwork());
            try {
                for (int i = 0; i < iterations; i++) {
                    AlternatingBenchmark.fit(setup.model(), workload.batches().get(i % workload.batches().size()));
                }
                List<TimedListener> timed = new ArrayList<>();
                List<TrainingListener> decorated = new ArrayList<>();
                for (TrainingListener l : MonitorOverheadCommand.listenersOf(setup.model())) {
                    TimedListener t = new TimedListener(l);
                    timed.add(t);
                    decorated.add(t);
                }
                Variant.setListeners(setup.model(), decorated);
                long reads = HostReads.count();
                long start = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    AlternatingBenchmark.fit(setup.model(), workload.batches().get(i % workload.batches().size()));
                }
                double wholeMs = (System.nanoTime() - start) / 1e6 / iterations;
                double wholeReads = (double) (HostReads.count() - reads) / iterations;
                for (TimedListener t : timed) {
                    double sum = 0;
                    StringBuilder row = new StringBuilder("| " + v.name() + " | " + t.name() + " |");
                    for (TimedListener.Callback c : List.of(TimedListener.Callback.FORWARD,
                            TimedListener.Callback.BACKWARD, TimedListener.Callback.GRADIENT,
                            TimedListener.Callback.ITERATION_DONE)) {
                        double ms = t.nanos(c) / 1e6 / iterations;
                        sum += ms;
                        row.append(String.format(Locale.ROOT, " %.3f |", ms));
                    }
                    row.append(String.format(Locale.ROOT, " %.3f | %.2f | %.1f | %.1f | %.1f |", sum, wholeMs,
                            (double) t.hostReads() / iterations,
                            (double) t.hostReads() / Math.max(1, t.measuredIterations()), wholeReads));
                    System.out.println(row);
                }
                if (timed.isEmpty()) {
                    System.out.printf(Locale.ROOT, "| %s | (no listener) | | | | | | %.2f | | | %.1f |%n", v.name(),
                            wholeMs, wholeReads);
                }
            } finally {
                setup.release().run();
            }
        }
    }
}
