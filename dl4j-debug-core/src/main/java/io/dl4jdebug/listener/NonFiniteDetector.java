package io.dl4jdebug.listener;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.NonFiniteConfig;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.NonFiniteProbe;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import io.dl4jdebug.publish.DebugSink;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The method's {@code NaNDetector}: checks, at every scheduled iteration, the input features and every layer's
 * output (forward pass), the score, the raw gradients (backward pass) and the parameters after the update, and at
 * the <em>first</em> non-finite value names the iteration, what held it, the layer where it started, the parameter key
 * and how many values were bad. Then applies the {@link NanPolicy} (default {@link NanPolicy#LOG} in
 * {@link NonFiniteConfig#defaults()}): {@code THROW} raises a {@link NonFiniteException} out of {@code fit} right
 * away (from the forward pass, before the update, when the forward pass is where it appeared), {@code STOP} ends
 * training after the iteration through iterators wrapped by {@link #guard(DataSetIterator)} (and warns once when no
 * guarded iterator was read, since training would then go on), {@code LOG} reports and goes on. Only the first event
 * of a run is reported; {@link #reset()} re-arms the detector.
 *
 * <p><b>Which layer is named.</b> A NaN spreads in the direction its pass runs, so each kind is scanned in the order
 * that reaches the origin first:
 * <ul>
 * <li>inputs and layer outputs (forward pass) in topological order, input side first: a bad output makes every
 *     layer after it bad, so the first bad one made it;</li>
 * <li>gradients (backward pass) in <em>backward</em> order, output side first (reverse topological order of the
 *     layers, or of a ComputationGraph's vertices): backprop carries a bad dL/d(output) down to every layer below,
 *     so the bad gradient nearest the output is where it started (the layer whose backward pass made it, e.g. a
 *     sqrt-like activation with an infinite derivative at 0); the input side would name the first layer, which only
 *     received it;</li>
 * <li>parameters after the update in topological order: the update moves no value between layers, so every bad
 *     parameter is an origin of its own, and the first one in forward order is the one that breaks the next forward
 *     pass first.</li>
 * </ul>
 * Within a layer, parameters are checked in DL4J's key order ({@code W} before {@code b}).
 *
 * <p>Parameters after the update are checked on their own on {@link NonFiniteConfig#parameterSchedule()} (each of
 * the first 20 iterations, then every 10): a finite gradient makes a finite update, so a parameter turns bad almost
 * only after a bad gradient, named first by the every-iteration gradient check. Whenever a layer's output or the
 * score comes out non-finite, that layer's parameters (all parameters for the score) are checked before the output
 * is blamed, so a weight spoiled in an update is still named as a {@code PARAMETER} of the previous iteration.
 *
 * <p>Cost per iteration: one sum per layer output and input, all read to the JVM together (one host read, a
 * device synchronisation on CUDA), one over the flattened gradient, and on scheduled iterations one over the
 * flattened parameters: two or three host reads whatever the network's size; per-array exact counts run only after a
 * sum came out non-finite.
 *
 * <p>Thread safe: under DL4J's ParallelWrapper every worker calls the same detector; the first event of any worker
 * is the one reported (once), naming that worker.
 */
public final class NonFiniteDetector extends DebugListener {

    private static final long serialVersionUID = 1L;

    private final NonFiniteConfig config;
    private final NonFiniteLatch latch;

    /**
     * @param config the configuration ({@link NonFiniteConfig#defaults()}: policy LOG, every iteration)
     * @param sinks  where the event and its finding go
     */
    public NonFiniteDetector(NonFiniteConfig config, List<? extends DebugSink> sinks) {
        super(sinks);
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.latch = new NonFiniteLatch(config.policy());
    }

    /**
     * @param policy what to do at the first non-finite value
     * @param sinks  where the event and its finding go
     * @return a detector checking every iteration
     */
    public static NonFiniteDetector withPolicy(NanPolicy policy, DebugSink... sinks) {
        return new NonFiniteDetector(NonFiniteConfig.of(policy), List.of(sinks));
    }

    /** @return the configuration */
    public NonFiniteConfig config() {
        return config;
    }

    /** @return the first non-finite event of the run, if there was one */
    public Optional<NonFiniteEvent> firstEvent() {
        return latch.first();
    }

    /** @return true when policy {@code STOP} asked training to end */
    public boolean stopRequested() {
        return latch.stopRequested();
    }

    /** Forgets the first event and a stop request, so the detector reports again. */
    public void reset() {
        latch.reset();
    }

    /**
     * Wraps a training iterator so that it reports no more data once policy {@code STOP} asked training to end;
     * {@code fit} then returns normally after the iteration that found the value.
     *
     * @param iterator the training iterator
     * @return the guarded iterator
     */
    public DataSetIterator guard(DataSetIterator iterator) {
        return latch.guard(iterator);
    }

    /**
     * Wraps a training iterator of a ComputationGraph like {@link #guard(DataSetIterator)}.
     *
     * @param iterator the training iterator
     * @return the guarded iterator
     */
    public MultiDataSetIterator guard(MultiDataSetIterator iterator) {
        return latch.guard(iterator);
    }

    private boolean active(Model model) {
        return latch.armed() && config.schedule().isDue(currentIteration(model));
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        guarded("onForwardPass", () -> {
            if (active(model)) {
                ModelView v = view(model);
                checkForward(model, v.inputs(activations), v.outputs(activations));
            }
        });
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        guarded("onForwardPass", () -> {
            if (active(model)) {
                ModelView v = view(model);
                checkForward(model, v.inputs(activations), v.outputs(activations));
            }
        });
    }

    private void checkForward(Model model, Map<String, INDArray> inputs, List<ModelView.LayerOutput> outputs) {
        // Inputs first, then outputs in forward order: the first bad array made the rest bad. One host read.
        List<String> names = new ArrayList<>(inputs.size() + outputs.size());
        List<INDArray> arrays = new ArrayList<>(inputs.size() + outputs.size());
        for (Map.Entry<String, INDArray> in : inputs.entrySet()) {
            names.add(in.getKey());
            arrays.add(in.getValue());
        }
        for (ModelView.LayerOutput out : outputs) {
            names.add(out.layer().name());
            arrays.add(out.array());
        }
        int first = NonFiniteProbe.firstNonFinite(arrays);
        if (first < 0) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (first < inputs.size()) {
                report(model, NonFiniteEvent.Kind.INPUT, names.get(first), null, arrays.get(first));
                return;
            }
            // A layer whose own parameters are bad is the origin even if its computation is sound.
            String layer = names.get(first);
            if (!reportBadParameter(model, p -> p.layer().equals(layer))) {
                report(model, NonFiniteEvent.Kind.ACTIVATION, layer, null, arrays.get(first));
            }
        }
    }

    /**
     * Looks for a non-finite parameter among those the filter accepts, in topological order, and reports the first
     * one found as a {@link NonFiniteEvent.Kind#PARAMETER} event of the previous iteration (the last update before
     * it was seen). Runs only after something else came out non-finite: one exact count per parameter.
     *
     * @return true when one was found and reported
     */
    private boolean reportBadParameter(Model model, java.util.function.Predicate<ParameterInfo> filter) {
        ModelView v = view(model);
        for (ParameterInfo p : v.parameters()) {
            if (filter.test(p)) {
                INDArray array = v.parameterArray(p);
                long bad = NonFiniteProbe.count(array);
                if (bad > 0) {
                    report(new NonFiniteEvent(Math.max(0, currentIteration(model) - 1), currentEpoch(model),
                            NonFiniteEvent.Kind.PARAMETER, p.layer(), p.key(), bad, array.length(), worker()));
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void onGradientCalculation(Model model) {
        guarded("onGradientCalculation", () -> {
            if (!active(model)) {
                return;
            }
            ModelView v = view(model);
            double score = model.score();
            if (!Double.isFinite(score)) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    if (!reportBadParameter(model, p -> true)) {
                        report(new NonFiniteEvent(currentIteration(model), currentEpoch(model),
                                NonFiniteEvent.Kind.SCORE, v.outputLayerName(), null, 1, 1, worker()));
                    }
                }
                return;
            }
            Optional<INDArray> flat = v.flatGradient();
            if (flat.isPresent()) {
                checkParameters(model, v, NonFiniteEvent.Kind.GRADIENT, flat.get());
            }
        });
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        guarded("iterationDone", () -> {
            if (latch.armed() && config.parameterSchedule().isDue(iteration)) {
                ModelView v = view(model);
                checkParameters(model, v, NonFiniteEvent.Kind.PARAMETER, v.flatParameters());
            }
        });
    }

    private void checkParameters(Model model, ModelView v, NonFiniteEvent.Kind kind, INDArray flat) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (NonFiniteProbe.allFinite(flat)) {
                return;
            }
            // Gradients output side first, parameters input side first: see the class comment.
            boolean gradient = kind == NonFiniteEvent.Kind.GRADIENT;
            for (ParameterInfo p : gradient ? v.parametersInBackwardOrder() : v.parameters()) {
                INDArray array = gradient ? v.gradientArray(p).orElse(null) : v.parameterArray(p);
                if (array != null && NonFiniteProbe.count(array) > 0) {
                    report(model, kind, p.layer(), p.key(), array);
                    return;
                }
            }
        }
    }

    private void report(Model model, NonFiniteEvent.Kind kind, String layer, String parameter, INDArray array) {
        long iteration = currentIteration(model);
        int epoch = currentEpoch(model);
        report(new NonFiniteEvent(iteration, epoch, kind, layer, parameter, NonFiniteProbe.count(array),
                array.length(), worker()));
    }

    private void report(NonFiniteEvent event) {
        latch.report(event, sinks());
    }
}
