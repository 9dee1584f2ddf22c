package io.dl4jdebug;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.ConfigChange;
import io.dl4jdebug.config.DebugConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NonFiniteConfig;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.listeners.PerformanceListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one call that turns debugging on for a network: applies a {@link DebugConfig} (seed, determinism, NaN panic,
 * gradient clipping) and attaches the whole suite (non-finite detector, monitors, loss monitor, diagnosis rules, JSON
 * report).
 *
 * <pre>{@code
 * try (Dl4jDebug.Session debug = Dl4jDebug.attach(net, DebugConfig.builder()
 *         .reportFile(Path.of("dl4j-debug-report.json")).build())) {
 *     net.fit(debug.guard(trainIterator), 10);
 * }
 * }</pre>
 */
public final class Dl4jDebug {

    private static final Logger LOG = LoggerFactory.getLogger(Dl4jDebug.class);

    private Dl4jDebug() {
    }

    /**
     * Applies the configuration and attaches the suite.
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @param config the debug configuration
     * @return the session: its suite, and {@link Session#close()} to write the report and undo the global ND4J
     *         settings
     * @throws io.dl4jdebug.model.UnsupportedModelException for other model types
     */
    public static Session attach(Model model, DebugConfig config) {
        return attach(model, config, null);
    }

    /**
     * Applies the configuration and attaches the suite, with validation data for the fitting diagnosis.
     *
     * @param model      an initialised MultiLayerNetwork or ComputationGraph
     * @param config     the debug configuration
     * @param validation resettable validation data, or null
     * @return the session
     */
    public static Session attach(Model model, DebugConfig config, DataSetIterator validation) {
        Objects.requireNonNull(config, "config must not be null; use DebugConfig.defaults()");
        ModelView view = ModelView.of(model);
        Nd4j.getRandom().setSeed(config.seed());
        boolean helpersBefore = Nd4j.getEnvironment().helpersAllowed();
        boolean periodicGcBefore = Nd4j.getMemoryManager().isPeriodicGcActive();
        List<ConfigChange> changes = new ArrayList<>();
        if (config.deterministic()) {
            Nd4j.getEnvironment().allowHelpers(false);
            if (helpersBefore) {
                changes.add(new ConfigChange("ND4J helpers (cuDNN/oneDNN)", "allowed", "disabled", List.of(), false,
                        true, "deterministic(false)"));
            }
        }
        if (config.benchmark()) {
            Nd4j.getEnvironment().allowHelpers(true);
            Nd4j.getMemoryManager().togglePeriodicGc(false);
            if (!helpersBefore) {
                changes.add(new ConfigChange("ND4J helpers (cuDNN/oneDNN)", "disabled", "allowed", List.of(), false,
                        true, "benchmark(false)"));
            }
            if (periodicGcBefore) {
                changes.add(new ConfigChange("ND4J periodic GC", "on", "off", List.of(), false, true,
                        "benchmark(false)"));
            }
        }
        List<LayerClip> clipped = config.gradientClip() > 0 ? clip(view, config.gradientClip()) : List.of();
        if (!clipped.isEmpty()) {
            changes.add(new ConfigChange("gradientNormalization", "None",
                    "ClipL2PerLayer(" + config.gradientClip() + ")",
                    clipped.stream().map(LayerClip::layer).toList(), true, true, "gradientClip(0)"));
        }
        if (config.detectAnomaly()) {
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkForNAN(true).checkForINF(true)
                    .build());
            changes.add(new ConfigChange("ND4J NaN/Inf panic (every op checked, several times slower)", "off", "on",
                    List.of(), false, true, "detectAnomaly(false)"));
        }
        for (ConfigChange c : changes) {
            LOG.info(c.describe());
        }
        DebugSuite suite = DebugSuite.builder()
                .gradientConfig(GradientMonitorConfig.builder().schedule(config.schedule()).build())
                .activationConfig(ActivationMonitorConfig.builder().schedule(config.schedule()).build())
                .nonFiniteConfig(NonFiniteConfig.of(config.nanPolicy()))
                .gradientMonitor(config.checkGradients())
                .activationMonitor(config.debugMode())
                .lossSchedule(config.schedule())
                .ruleConfig(config.rules())
                .validation(validation)
                .report(config.reportFile())
                .build()
                .attachTo(model);
        if (config.profile()) {
            view.addListeners(new PerformanceListener(config.logFrequency(), true));
        }
        suite.report().ifPresent(r -> r.debugConfiguration(changes));
        return new Session(config, suite, clipped, changes, helpersBefore, periodicGcBefore);
    }

    /**
     * Sets per-layer L2 clipping on every layer without a gradient normalization. DL4J's updater reads the layer
     * configuration at every step, so this takes effect on an initialised network from the next iteration.
     *
     * @return the layers changed, with what they had before
     */
    private static List<LayerClip> clip(ModelView view, double threshold) {
        List<LayerClip> changed = new ArrayList<>();
        for (LayerInfo info : view.layers()) {
            Optional<Layer> conf = view.layerConfiguration(info.name());
            if (conf.isEmpty() || !(conf.get() instanceof BaseLayer) || info.parameters().isEmpty()) {
                continue;
            }
            BaseLayer layer = (BaseLayer) conf.get();
            GradientNormalization current = layer.getGradientNormalization();
            if (current == null || current == GradientNormalization.None) {
                changed.add(new LayerClip(info.name(), layer, current, layer.getGradientNormalizationThreshold()));
                layer.setGradientNormalization(GradientNormalization.ClipL2PerLayer);
                layer.setGradientNormalizationThreshold(threshold);
            } else {
                LOG.debug("dl4j-debug: layer {} keeps its own gradient normalization {} (threshold {})",
                        info.name(), current, layer.getGradientNormalizationThreshold());
            }
        }
        return changed;
    }

    /** A layer that got clipping, with the gradient normalization and threshold it had before (restored on close). */
    private record LayerClip(String layer, BaseLayer conf, GradientNormalization before, double thresholdBefore) {
        void restore() {
            conf.setGradientNormalization(before);
            conf.setGradientNormalizationThreshold(thresholdBefore);
        }
    }

    /**
     * An attached debug configuration. {@link #close()} writes the final report and restores what attach changed:
     * the layers' gradient normalization, the NaN panic, helpers and periodic GC (the seed of ND4J's random generator
     * stays set); the listeners stay on the network.
     * Not thread safe.
     */
    public static final class Session implements AutoCloseable {
        private final DebugConfig config;
        private final DebugSuite suite;
        private final List<LayerClip> clipped;
        private final List<ConfigChange> changes;
        private final boolean helpersBefore;
        private final boolean periodicGcBefore;
        private boolean closed;

        private Session(DebugConfig config, DebugSuite suite, List<LayerClip> clipped, List<ConfigChange> changes,
                        boolean helpersBefore, boolean periodicGcBefore) {
            this.config = config;
            this.suite = suite;
            this.clipped = List.copyOf(clipped);
            this.changes = List.copyOf(changes);
            this.helpersBefore = helpersBefore;
            this.periodicGcBefore = periodicGcBefore;
        }

        /** @return the applied configuration */
        public DebugConfig config() {
            return config;
        }

        /** @return the attached suite (findings, recording, report) */
        public DebugSuite suite() {
            return suite;
        }

        /** @return how many layers got gradient clipping from this session */
        public int clippedLayers() {
            return clipped.size();
        }

        /**
         * @return what attach changed on the network and in ND4J's global settings (each was logged once and is in
         *         the JSON report's {@code "debugConfiguration"}); {@link #close()} restores all of them
         */
        public List<ConfigChange> changes() {
            return changes;
        }

        /**
         * @param iterator the training iterator
         * @return it, wrapped so that {@code NanPolicy.STOP} can end {@code fit} cleanly
         */
        public DataSetIterator guard(DataSetIterator iterator) {
            return suite.guard(iterator);
        }

        /**
         * Writes the final report, restores the layers' gradient normalization (type and threshold) and the global
         * ND4J settings. Idempotent.
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                suite.close();
            } finally {
                if (config.detectAnomaly()) {
                    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
                }
                Nd4j.getEnvironment().allowHelpers(helpersBefore);
                Nd4j.getMemoryManager().togglePeriodicGc(periodicGcBefore);
                clipped.forEach(LayerClip::restore);
            }
        }
    }
}
