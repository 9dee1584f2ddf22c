package io.dl4jdebug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.config.DebugConfig;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.exception.ND4JOpProfilerException;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
}
