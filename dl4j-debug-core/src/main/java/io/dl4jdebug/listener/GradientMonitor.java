package io.dl4jdebug.listener;

import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.diagnose.GradientNormRule;
import io.dl4jdebug.diagnose.RuleEngine;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterProbe;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import org.deeplearning4j.nn.api.Model;

import java.util.List;
import java.util.Objects;

/**
 * The method's gradient monitor ({@code check_gradients}): on scheduled iterations measures, per trainable
 * parameter, the per-example raw gradient norm, the applied update norm, the parameter norm and the update:param
 * ratio, and publishes a {@link GradientSnapshot}; it judges nothing (the {@link GradientNormRule} in the suite's
 * {@link RuleEngine}, or in {@link #judged} for a monitor used alone, reports vanishing and exploding gradients).
 *
 * <p>Runs in {@code onGradientCalculation} (raw gradient, before the updater) and {@code iterationDone} (update and
 * parameters). BatchNorm running statistics and frozen layers are excluded. Thread safe under ParallelWrapper: one
 * probe per worker, snapshots carry the worker.
 */
public final class GradientMonitor extends DebugListener {

    private static final long serialVersionUID = 1L;

    private final GradientMonitorConfig config;
    private final PerWorker<ParameterProbe> probes = new PerWorker<>();

    /**
     * @param config the configuration
     * @param sinks  where snapshots and findings go
     */
    public GradientMonitor(GradientMonitorConfig config, List<? extends DebugSink> sinks) {
        super(sinks);
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /**
     * @param sinks where snapshots and findings go
     * @return a monitor with the default configuration
     */
    public static GradientMonitor withDefaults(DebugSink... sinks) {
        return judged(GradientMonitorConfig.defaults(), sinks);
    }

    /**
     * A monitor used alone: its snapshots go to the sinks, and {@link GradientNormRule} judges them (the suite
     * instead runs every rule in its own engine).
     *
     * @param config the configuration
     * @param sinks  where snapshots and findings go
     * @return the monitor
     */
    public static GradientMonitor judged(GradientMonitorConfig config, DebugSink... sinks) {
        return new GradientMonitor(config, RuleSink.judging(() -> new GradientNormRule(config), sinks));
    }

    /** @return the configuration */
    public GradientMonitorConfig config() {
        return config;
    }

    @Override
    protected void onNewModel(ModelView view) {
        probes.put(new ParameterProbe(view));
    }

    @Override
    public void onGradientCalculation(Model model) {
        guarded("onGradientCalculation", () -> {
            if (config.schedule().isDue(currentIteration(model))) {
                ModelView v = view(model);
                probes.get().measureRawGradients(v);
            }
        });
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        guarded("iterationDone", () -> {
            ModelView v = view(model);
            ParameterProbe probe = probes.get();
            if (!config.schedule().isDue(iteration) || !probe.hasRawGradients()) {
                return;
            }
            GradientSnapshot snapshot = probe.finish(v, iteration, epoch).withWorker(worker());
            sinks().gradients(snapshot);
        });
    }
}
