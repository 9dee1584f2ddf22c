package io.dl4jdebug.samples.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Diagnostic decorator for {@code bench --profile}: delegates every callback to a listener and adds the wall time
 * of each callback kind to an accumulator (System.nanoTime around the call). Not thread safe.
 */
final class TimedListener implements TrainingListener {

    /** The callbacks, in DL4J's order within an iteration. */
    enum Callback { FORWARD, BACKWARD, GRADIENT, ITERATION_DONE, EPOCH }

    private final TrainingListener delegate;
    private final long[] nanos = new long[Callback.values().length];
    private final long[] calls = new long[Callback.values().length];

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

    /**
     * @param callback a callback kind
     * @return how often it was called
     */
    long calls(Callback callback) {
        return calls[callback.ordinal()];
    }

    private void add(Callback c, long start) {
        nanos[c.ordinal()] += System.nanoTime() - start;
        calls[c.ordinal()]++;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long t = System.nanoTime();
        delegate.iterationDone(model, iteration, epoch);
        add(Callback.ITERATION_DONE, t);
    }

    @Override
    public void onEpochStart(Model model) {
        long t = System.nanoTime();
        delegate.onEpochStart(model);
        add(Callback.EPOCH, t);
    }

    @Override
    public void onEpochEnd(Model model) {
        long t = System.nanoTime();
        delegate.onEpochEnd(model);
        add(Callback.EPOCH, t);
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        long t = System.nanoTime();
        delegate.onForwardPass(model, activations);
        add(Callback.FORWARD, t);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        long t = System.nanoTime();
        delegate.onForwardPass(model, activations);
        add(Callback.FORWARD, t);
    }

    @Override
    public void onGradientCalculation(Model model) {
        long t = System.nanoTime();
        delegate.onGradientCalculation(model);
        add(Callback.GRADIENT, t);
    }

    @Override
    public void onBackwardPass(Model model) {
        long t = System.nanoTime();
        delegate.onBackwardPass(model);
        add(Callback.BACKWARD, t);
    }
}
