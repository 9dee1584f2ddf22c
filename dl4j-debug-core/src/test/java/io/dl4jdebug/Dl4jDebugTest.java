package io.dl4jdebug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dl4jdebug.config.ConfigChange;
import io.dl4jdebug.config.DebugConfig;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.exception.ND4JOpProfilerException;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Dl4jDebug#attach} applies every field of a {@link DebugConfig} to a real network. */
class Dl4jDebugTest {

    private static DebugConfig.Builder fast() {
        return DebugConfig.builder().detectAnomaly(false).logFrequency(1);
    }

    /** Largest per-layer L2 norm of the applied updates over the recorded snapshots. */
    private static double largestLayerUpdate(List<GradientSnapshot> snapshots, String layer) {
        double largest = 0;
        for (GradientSnapshot s : snapshots) {
            double sq = 0;
            for (ParameterStats p : s.parameters()) {
                if (p.layer().equals(layer)) {
                    sq += p.updateNorm() * p.updateNorm();
                }
            }
            largest = Math.max(largest, Math.sqrt(sq));
        }
        return largest;
    }

    @Test
    void gradientClipTakesEffectOnAnInitialisedNetwork() {
        MultiLayerNetwork clippedNet = TestNets.mlp(TestNets.spec().updater(new Sgd(1.0)));
        try (Dl4jDebug.Session s = Dl4jDebug.attach(clippedNet, fast().gradientClip(0.5).build())) {
            assertThat(s.clippedLayers()).isEqualTo(3);
            assertThat(((BaseLayer) clippedNet.getLayer(0).conf().getLayer()).getGradientNormalization())
                    .isEqualTo(GradientNormalization.ClipL2PerLayer);
            clippedNet.fit(s.guard(FashionData.iterator(128, 32)), 1);
            // SGD(1.0): update = clipped gradient, so every layer's update norm is at most the threshold
            assertThat(largestLayerUpdate(s.suite().recording().gradientSnapshots(), "h0")).isLessThanOrEqualTo(0.5001);
        }
        MultiLayerNetwork plainNet = TestNets.mlp(TestNets.spec().updater(new Sgd(1.0)));
        try (Dl4jDebug.Session s = Dl4jDebug.attach(plainNet, fast().gradientClip(0).build())) {
            assertThat(s.clippedLayers()).isZero();
            plainNet.fit(s.guard(FashionData.iterator(128, 32)), 1);
            assertThat(largestLayerUpdate(s.suite().recording().gradientSnapshots(), "h0")).isGreaterThan(1.0);
        }
    }

    @Test
    void seedIsAppliedToNd4jsRandom() {
        Nd4j.getRandom().setSeed(7);
        INDArray expected = Nd4j.rand(1, 5);
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        try (Dl4jDebug.Session ignored = Dl4jDebug.attach(net, fast().seed(7).build())) {
            assertThat(Nd4j.rand(1, 5)).isEqualTo(expected);
        }
    }

    @Test
    void detectAnomalyTurnsOnNd4jNanPanicUntilClose() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        INDArray negative = Nd4j.createFromArray(-1.0f, 2.0f);
        try (Dl4jDebug.Session ignored = Dl4jDebug.attach(net, DebugConfig.builder().detectAnomaly(true).build())) {
            assertThatThrownBy(() -> Transforms.log(negative, true)).isInstanceOf(ND4JOpProfilerException.class);
        }
        assertThat(Transforms.log(negative, true).getDouble(0)).isNaN();
    }

    @Test
    void switchesChooseTheListenersAndDeterminismDisablesHelpers() {
        boolean helpers = Nd4j.getEnvironment().helpersAllowed();
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        try (Dl4jDebug.Session s = Dl4jDebug.attach(net, fast().debugMode(false).checkGradients(false).profile(true)
                .build())) {
            assertThat(Nd4j.getEnvironment().helpersAllowed()).isFalse();
            assertThat(s.suite().listeners()).hasSize(2);
            assertThat(net.getListeners()).hasSize(3); // detector, loss monitor, PerformanceListener
        }
        assertThat(Nd4j.getEnvironment().helpersAllowed()).isEqualTo(helpers);
    }

    @Test
    void oneLinerRunWritesTheReport(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        try (Dl4jDebug.Session debug = Dl4jDebug.attach(net, fast().logFrequency(5).reportFile(file).build())) {
            net.fit(debug.guard(FashionData.iterator(256, 32)), 2);
            assertThat(file).exists(); // written at the end of each epoch already
        }
        JsonNode report = new ObjectMapper().readTree(file.toFile());
        assertThat(report.get("schema").asText()).isEqualTo("dl4j-debug-report/2");
        assertThat(report.get("reason").asText()).isEqualTo("close");
        assertThat(report.get("iterations").asLong()).isEqualTo(16);
        assertThat(report.get("epochs").asInt()).isEqualTo(2);
        assertThat(report.get("model").get("type").asText()).isEqualTo("MULTI_LAYER_NETWORK");
        assertThat(report.get("model").get("layers")).hasSize(3);
        assertThat(report.get("findings").isArray()).isTrue();
        assertThat(report.get("fitting").get("status").asText()).isEqualTo("KEEP_WATCHING");
    }

    /** Each layer's gradient normalization and threshold, by layer name. */
    private static Map<String, String> normalizations(Model model) {
        Map<String, String> out = new LinkedHashMap<>();
        org.deeplearning4j.nn.api.Layer[] layers = model instanceof ComputationGraph g ? g.getLayers()
                : ((MultiLayerNetwork) model).getLayers();
        for (org.deeplearning4j.nn.api.Layer l : layers) {
            BaseLayer conf = (BaseLayer) l.conf().getLayer();
            out.put(conf.getLayerName(), conf.getGradientNormalization() + "@"
                    + conf.getGradientNormalizationThreshold());
        }
        return out;
    }

    private static void restoresLayersAndReportsTheChange(Model net, Path dir) throws IOException {
        // The user's own choice on h0 must survive; the other layers had none and get clipping until close().
        BaseLayer h0 = (BaseLayer) (net instanceof ComputationGraph g ? g.getLayer("h0")
                : ((MultiLayerNetwork) net).getLayer(0)).conf().getLayer();
        h0.setGradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue);
        h0.setGradientNormalizationThreshold(0.3);
        Map<String, String> before = normalizations(net);
        Path file = dir.resolve("report.json");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(Dl4jDebug.class);
        log.start();
        logger.addAppender(log);
        try (Dl4jDebug.Session s = Dl4jDebug.attach(net, fast().gradientClip(0.5).reportFile(file).build())) {
            assertThat(normalizations(net)).isNotEqualTo(before);
            assertThat(s.changes()).extracting(ConfigChange::setting).contains("gradientNormalization");
            if (net instanceof ComputationGraph g) {
                g.fit(FashionData.iterator(64, 32));
            } else {
                ((MultiLayerNetwork) net).fit(FashionData.iterator(64, 32));
            }
        } finally {
            logger.detachAppender(log);
        }
        assertThat(normalizations(net)).isEqualTo(before);
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("changed gradientNormalization"))
                .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains("ClipL2PerLayer(0.5)", "out", "gradientClip(0)").doesNotContain("h0"));
        JsonNode changes = new ObjectMapper().readTree(file.toFile()).get("debugConfiguration");
        JsonNode clip = null;
        for (JsonNode c : changes) {
            if (c.get("setting").asText().equals("gradientNormalization")) {
                clip = c;
            }
        }
        assertThat(clip).as("debugConfiguration lists the clipping: %s", changes).isNotNull();
        assertThat(clip.get("oldValue").asText()).isEqualTo("None");
        assertThat(clip.get("newValue").asText()).isEqualTo("ClipL2PerLayer(0.5)");
        assertThat(clip.get("layers").toString()).contains("\"out\"").doesNotContain("\"h0\"");
        assertThat(clip.get("changesMath").asBoolean()).isTrue();
    }

    @Test
    void closeRestoresTheLayersGradientNormalizationOnAMultiLayerNetwork(@TempDir Path dir) throws IOException {
        restoresLayersAndReportsTheChange(TestNets.mlp(TestNets.spec()), dir);
    }

    @Test
    void closeRestoresTheLayersGradientNormalizationOnAComputationGraph(@TempDir Path dir) throws IOException {
        restoresLayersAndReportsTheChange(TestNets.residual(TestNets.spec()), dir);
    }
}
