package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.NetworkOps;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import static io.dl4jdebug.preflight.PreflightNets.IN;
import static io.dl4jdebug.preflight.PreflightNets.base;
import static io.dl4jdebug.preflight.PreflightNets.build;
import static io.dl4jdebug.preflight.PreflightNets.dense;
import static io.dl4jdebug.preflight.PreflightNets.slice;
import static io.dl4jdebug.preflight.PreflightNets.softmaxOut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinimalExampleTest {

    private static final DataSet TINY = slice(0, 10);
    /** Fast learners (Adam 1e-2) and a short budget keep the test in seconds; defaults are Adam 1e-3, 300 steps. */
    private static final MinimalExample FAST = new MinimalExample(OverfitConfig.builder().maxSteps(100).build());
    /** For networks expected to fail: healthy prefixes of these tiny nets memorize in 10-20 steps at Adam 1e-2. */
    private static final MinimalExample SHORT = new MinimalExample(OverfitConfig.builder().maxSteps(60).build());

    private static NeuralNetConfiguration.Builder fast() {
        return base().updater(new Adam(1e-2));
    }

    /** 784 -> h0 16 -> h1 16 -> h2 16 -> out; h1 optionally dead (bias -100 under ReLU). */
    private static MultiLayerNetwork mlp(boolean deadH1) {
        return build(fast(), dense("h0", IN, 16),
                new DenseLayer.Builder().name("h1").nIn(16).nOut(16).activation(Activation.RELU)
                        .biasInit(deadH1 ? -100 : 0).build(),
                dense("h2", 16, 16), softmaxOut(16));
    }

    /**
     * in -> h0 -> [r1 -> r2 ; skip h0] -> add -> relu1 -> h2 -> out. With a broken block, r2 has bias -100 so that
     * add = h0 + r2 is negative everywhere and relu1 outputs 0: the block kills everything after it.
     */
    private static ComputationGraph residual(boolean brokenBlock) {
        ComputationGraph g = new ComputationGraph(fast().graphBuilder().addInputs("in")
                .addLayer("h0", dense("h0", IN, 16), "in")
                .addLayer("r1", dense("r1", 16, 16), "h0")
                .addLayer("r2", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.IDENTITY)
                        .biasInit(brokenBlock ? -100 : 0).build(), "r1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "h0", "r2")
                .addLayer("relu1", new ActivationLayer(Activation.RELU), "add")
                .addLayer("h2", dense("h2", 16, 16), "relu1")
                .addLayer("out", softmaxOut(16), "h2")
                .setOutputs("out").build());
        g.init();
        return g;
    }

    @Test
    void healthyMlpMemorizesTenExamplesWithDefaults() {
        MinimalExampleReport report = MinimalExample.withDefaults().run(PreflightNets.healthy(), TINY);
        assertThat(report.canOverfit()).as(report.toText()).isTrue();
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void healthyMlpMemorizesTenExamples() {
        MultiLayerNetwork net = mlp(false);
        INDArray before = net.params().dup();
        MinimalExampleReport report = FAST.run(net, TINY);
        assertThat(report.canOverfit()).as(report.toText()).isTrue();
        assertThat(report.findings()).isEmpty();
        assertThat(report.trials()).isEmpty();
        assertThat(report.full().finalLoss()).isLessThanOrEqualTo(report.full().targetLoss());
        assertThat(net.params()).isEqualTo(before);
    }

    @Test
    void bisectionNamesTheDeadLayerOfAnMlp() {
        MinimalExampleReport report = SHORT.run(mlp(true), TINY);
        assertThat(report.canOverfit()).isFalse();
        assertThat(report.culpritSegment()).as(report.toText()).isPresent();
        assertThat(report.culprit().name()).isEqualTo("h1");
        Finding f = report.findings().get(0);
        assertThat(f.symptom()).isEqualTo(Symptom.CANNOT_OVERFIT_SMALL_BATCH);
        assertThat(f.level()).isEqualTo(Level.CODE);
        assertThat(f.layer()).isEqualTo("h1");
        // the prefix without h1 memorizes, the prefix with it does not
        assertThat(report.trials()).anySatisfy(t -> {
            assertThat(t.segmentsKept()).isEqualTo(1);
            assertThat(t.result().overfits()).isTrue();
        });
        assertThat(report.trials()).anySatisfy(t -> {
            assertThat(t.segmentsKept()).isEqualTo(2);
            assertThat(t.result().overfits()).isFalse();
        });
    }

    @Test
    void graphIsCutIntoLayersAndResidualBlocks() {
        assertThat(Truncation.segments(NetworkOps.of(residual(false))))
                .extracting(Segment::name, Segment::members)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("h0", java.util.List.of("h0")),
                        org.assertj.core.groups.Tuple.tuple("r1", java.util.List.of("r1", "r2", "add", "relu1")),
                        org.assertj.core.groups.Tuple.tuple("h2", java.util.List.of("h2")));
    }

    @Test
    void healthyResidualGraphMemorizesTenExamples() {
        MinimalExampleReport report = FAST.run(residual(false), TINY);
        assertThat(report.canOverfit()).as(report.toText()).isTrue();
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void bisectionNamesTheBrokenResidualBlock() {
        MinimalExampleReport report = SHORT.run(residual(true), TINY);
        assertThat(report.canOverfit()).isFalse();
        assertThat(report.culpritSegment()).as(report.toText()).isPresent();
        assertThat(report.culprit().members()).containsExactly("r1", "r2", "add", "relu1");
        assertThat(report.culprit().describe()).isEqualTo("block r1 -> r2 -> add -> relu1");
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.layer()).isEqualTo("r1");
            assertThat(f.message()).contains("block r1 -> r2 -> add -> relu1");
        });
    }

    @Test
    void configValidationNamesFieldValueAndRange() {
        assertThatThrownBy(() -> OverfitConfig.builder().examples(0).build())
                .hasMessage("examples must be >= 1 but was 0");
        assertThatThrownBy(() -> OverfitConfig.builder().maxSteps(5).checkEvery(10).build())
                .hasMessage("checkEvery must be in [1, maxSteps=5] but was 10");
        assertThatThrownBy(() -> OverfitConfig.builder().relativeTarget(1.5).build())
                .hasMessage("relativeTarget must be in (0, 1) but was 1.5");
    }
}
