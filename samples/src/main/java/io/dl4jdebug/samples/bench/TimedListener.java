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

    /** Runs one callback of the delegate and adds its time to its kind. */
    private void timed(Callback c, Runnable call) {
        long start = System.nanoTime();
        call.run();
        nanos[c.ordinal()] += System.nanoTime() - start;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        timed(Callback.ITERATION_DONE, () -> delegate.iterationDone(model, iteration, epoch));
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
