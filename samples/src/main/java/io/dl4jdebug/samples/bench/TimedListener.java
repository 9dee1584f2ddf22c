package io.dl4jdebug.samples.bench;

import io.dl4jdebug.measure.HostReads;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Diagnostic decorator for {@code bench --profile}: delegates every callback to a listener and adds the wall time
 * of each callback kind to an accumulator (System.nanoTime around the call), and the {@link HostReads} the callbacks
 * made. Not thread safe.
 */
final class TimedListener implements TrainingListener {

    /** The callbacks, in DL4J's order within an iteration. */
    enum Callback { FORWARD, BACKWARD, GRADIENT, ITERATION_DONE, EPOCH }

    private final TrainingListener delegate;
    private final long[] nanos = new long[Callback.values().length];
    private long hostReads;
    private long readsAtLastIteration;
    private int measuredIterations;

    TimedListener(TrainingListener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the listener's class name */
    String name() {
        return delegate.getClass().getSimpleName();
    }

    /**
     * @param callback a callback kind
     * @return total nanoseconds spent in it
     */
    long nanos(Callback callback) {
        return nanos[callback.ordinal()];
    }

    /** @return host reads made inside the delegate's callbacks (on this thread) */
    long hostReads() {
        return hostReads;
    }

    /** @return iterations in which the delegate made at least one host read (its measured iterations) */
    int measuredIterations() {
        return measuredIterations;
    }

    /** Runs one callback of the delegate and adds its time to its kind and its host reads to the total. */
    private void timed(Callback c, Runnable call) {
        long reads = HostReads.count();
        long start = System.nanoTime();
        call.run();
        nanos[c.ordinal()] += System.nanoTime() - start;
        hostReads += HostReads.count() - reads;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        timed(Callback.ITERATION_DONE, () -> delegate.iterationDone(model, iteration, epoch));
        if (hostReads > readsAtLastIteration) {
            measuredIterations++;
        }
        readsAtLastIteration = hostReads;
    }

    @Override
    public void onEpochStart(Model model) {
        timed(Callback.EPOCH, () -> delegate.onEpochStart(model));
    }

    @Override
    public void onEpochEnd(Model model) {
        timed(Callback.EPOCH, () -> delegate.onEpochEnd(model));
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        timed(Callback.FORWARD, () -> delegate.onForwardPass(model, activations));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        timed(Callback.FORWARD, () -> delegate.onForwardPass(model, activations));
    }

    @Override
    public void onGradientCalculation(Model model) {
        timed(Callback.GRADIENT, () -> delegate.onGradientCalculation(model));
    }

    @Override
    public void onBackwardPass(Model model) {
        timed(Callback.BACKWARD, () -> delegate.onBackwardPass(model));
    }
}
