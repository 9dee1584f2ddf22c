package io.dl4jdebug.listener;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.diagnose.ActivationHealthRule;
import io.dl4jdebug.diagnose.RuleEngine;
import io.dl4jdebug.measure.ActivationProbe;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The method's activation monitor ({@code visualize_activations}): on scheduled iterations reduces every layer's
 * (and graph vertex's) training-mode output to mean, standard deviation, share of zeros, dead units, saturated units
 * and non-finite count, and publishes an {@link ActivationSnapshot}; it judges nothing (the
 * {@link ActivationHealthRule} in the suite's {@link RuleEngine}, or in {@link #judged} for a monitor used alone,
 * reports layers with many dead or saturated units). DL4J does not hand output-layer activations to listeners, so
 * the output layer is not measured.
 * Thread safe (the probe is stateless); under ParallelWrapper, snapshots carry the worker.
 */
public final class ActivationMonitor extends DebugListener {

    private static final long serialVersionUID = 1L;

    private final ActivationMonitorConfig config;
    private final ActivationProbe probe = new ActivationProbe();

    /**
     * @param config the configuration
     * @param sinks  where snapshots and findings go
     */
    public ActivationMonitor(ActivationMonitorConfig config, List<? extends DebugSink> sinks) {
        super(sinks);
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /**
     * @param sinks where snapshots and findings go
     * @return a monitor with the default configuration
     */
    public static ActivationMonitor withDefaults(DebugSink... sinks) {
        return judged(ActivationMonitorConfig.defaults(), sinks);
    }

    /**
     * A monitor used alone: its snapshots go to the sinks, and {@link ActivationHealthRule} judges them (the suite
     * instead runs every rule in its own engine).
     *
     * @param config the configuration
     * @param sinks  where snapshots and findings go
     * @return the monitor
     */
    public static ActivationMonitor judged(ActivationMonitorConfig config, DebugSink... sinks) {
        return new ActivationMonitor(config, RuleSink.judging(() -> new ActivationHealthRule(config), sinks));
    }

    /** @return the configuration */
    public ActivationMonitorConfig config() {
        return config;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        guarded("onForwardPass", () -> {
            if (config.schedule().isDue(currentIteration(model))) {
                measure(model, view(model).outputs(activations));
            }
        });
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        guarded("onForwardPass", () -> {
            if (config.schedule().isDue(currentIteration(model))) {
                measure(model, view(model).outputs(activations));
            }
        });
    }

    private void measure(Model model, List<ModelView.LayerOutput> outputs) {
        List<ActivationStats> stats = new ArrayList<>(outputs.size());
        for (ModelView.LayerOutput out : outputs) {
            stats.add(probe.measure(out.layer(), out.array(), out.mask()));
        }
        ActivationSnapshot snapshot = new ActivationSnapshot(currentIteration(model), currentEpoch(model), stats,
                worker());
        sinks().activations(snapshot);
    }
}
