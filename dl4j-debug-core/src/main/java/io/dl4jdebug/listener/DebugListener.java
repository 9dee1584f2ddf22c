package io.dl4jdebug.listener;

import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.publish.FailureTally;
import io.dl4jdebug.publish.SinkGroup;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Base of the dl4j-debug listeners: every DL4J callback is a no-op unless overridden; it owns the sinks, caches the
 * network's {@link ModelView}, and runs each callback body so that the listener's own failures are logged once and
 * never break training; every failure is counted in its {@link FailureTally}. Only a {@link NonFiniteException}
 * (the user asked for fail-fast) leaves a callback.
 *
 * <p>Serializable for DL4J's Spark training: sinks and the cached view are transient and come back empty.
 *
 * <p>Thread safe for DL4J's {@code ParallelWrapper}, which hands the same listener object to every worker thread and
 * calls it concurrently: the view (and whatever a subclass keeps per network, see {@link #worker()}) is kept per
 * worker, and the sinks must be thread safe (the suite's are).
 */
public abstract class DebugListener implements TrainingListener, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DebugListener.class);

    private transient SinkGroup sinks;
    private final PerWorker<ModelView> views = new PerWorker<>();
    private transient FailureTally failures;

    /**
     * @param sinks sinks that receive this listener's snapshots and findings
     */
    protected DebugListener(List<? extends DebugSink> sinks) {
        this.failures = new FailureTally();
        this.sinks = new SinkGroup(sinks).reportFailuresTo(failures);
    }

    /**
     * Adds a sink.
     *
     * @param sink the sink
     * @return this listener
     */
    public DebugListener addSink(DebugSink sink) {
        sinks().add(sink);
        return this;
    }

    /** @return the sinks of this listener */
    protected final synchronized SinkGroup sinks() {
        if (sinks == null) {
            sinks = new SinkGroup(List.of()).reportFailuresTo(failures());
        }
        return sinks;
    }

    /**
     * Counts this listener's own failures and its sinks' failures in a tally (a suite shares one among its parts).
     *
     * @param tally the tally
     * @return this listener
     */
    public DebugListener reportFailuresTo(FailureTally tally) {
        this.failures = java.util.Objects.requireNonNull(tally, "tally must not be null");
        sinks().reportFailuresTo(tally);
        return this;
    }

    /** @return where this listener's failures and its sinks' failures are counted */
    public final FailureTally failures() {
        if (failures == null) {
            failures = new FailureTally();
        }
        return failures;
    }

    /**
     * @param model the model DL4J passed to the callback
     * @return its view, built on first use and rebuilt when the model changes
     */
    protected final ModelView view(Model model) {
        ModelView v = views.get();
        if (v == null || v.model() != model) {
            v = ModelView.of(model);
            views.put(v);
            onNewModel(v);
        }
        return v;
    }

    /**
     * @return the DL4J ParallelWrapper worker running the current callback ({@link Workers#current()}), empty outside
     *         ParallelWrapper: snapshots carry it, and subclasses key their per-network state by it
     */
    protected static String worker() {
        return Workers.current();
    }

    /**
     * Called when the listener sees a network for the first time.
     *
     * @param view the new network's view
     */
    protected void onNewModel(ModelView view) {
    }

    /**
     * @param model the model
     * @return the iteration DL4J is running now (the value {@code iterationDone} will report)
     */
    protected static long currentIteration(Model model) {
        return BaseOptimizer.getIterationCount(model);
    }

    /**
     * @param model the model
     * @return the epoch DL4J is running now
     */
    protected static int currentEpoch(Model model) {
        return BaseOptimizer.getEpochCount(model);
    }

    /**
     * Runs a callback body; the listener's own failures are logged (once, then at debug level) and swallowed.
     *
     * @param callback the callback's name, for the log
     * @param body     what to run
     */
    protected final void guarded(String callback, Runnable body) {
        try {
            body.run();
        } catch (NonFiniteException e) {
            throw e;
        } catch (RuntimeException e) {
            if (failures().record(getClass().getSimpleName(), callback, e)) {
                LOG.warn("{} failed in {}; training goes on without it for this step. Later failures are logged at "
                        + "DEBUG and counted at close.", getClass().getSimpleName(), callback, e);
            } else {
                LOG.debug("{} failed again in {}", getClass().getSimpleName(), callback, e);
            }
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
    }

    @Override
    public void onEpochStart(Model model) {
    }

    @Override
    public void onEpochEnd(Model model) {
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
    }

    @Override
    public void onGradientCalculation(Model model) {
    }

    @Override
    public void onBackwardPass(Model model) {
    }
}
