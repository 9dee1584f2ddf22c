package io.dl4jdebug.wrapper;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.BackwardStats;
import io.dl4jdebug.measure.LayerProbeSnapshot;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Wrapping and unwrapping configurations and networks, JSON and ModelSerializer round trips, and the healthy run:
 * wrapped networks compute bit-identical outputs and parameters and produce no finding.
 */
class LayerWrappersTest {

    private ProbeSession session;
    private final RecordingSink recording = new RecordingSink();

    @TempDir
    File dir;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private ProbeSession openEveryIteration() {
        session = ProbeSession.builder().logging(false).sink(recording)
                .config(LayerProbeConfig.builder().policy(NanPolicy.THROW).statsSchedule(Schedule.everyIteration())
                        .build()).build();
        return session;
    }

    private static MultiLayerNetwork mlp() {
        return TestNets.mlp(TestNets.spec().hidden(16, 8));
    }

    private static ComputationGraph graph() {
        return TestNets.residual(TestNets.spec().hidden(16, 8));
    }

    @Test
    void wrapsEveryHiddenLayerButNotTheOutputAndKeepsParameterKeysAndValues() {
        openEveryIteration();
        MultiLayerNetwork net = mlp();
        MultiLayerNetwork wrapped = LayerWrappers.wrap(net, session.id());

        assertThat(LayerWrappers.wrappedLayers(wrapped)).containsExactly("h0", "h1");
        assertThat(LayerWrappers.wrappedLayers(net)).isEmpty();
        assertThat(wrapped.getLayer(0)).isInstanceOf(ProbedLayerImpl.class);
        assertThat(wrapped.getLayer(2)).isNotInstanceOf(ProbedLayerImpl.class);
        assertThat(wrapped.paramTable().keySet()).containsExactlyElementsOf(net.paramTable().keySet());
        assertThat(Fixtures.bitIdentical(wrapped.params(), net.params())).isTrue();

        ComputationGraph g = graph();
        ComputationGraph wg = LayerWrappers.wrap(g, session.id());
        assertThat(LayerWrappers.wrappedLayers(wg)).containsExactly("h0", "h1", "r1", "r2");
        assertThat(wg.paramTable().keySet()).containsExactlyElementsOf(g.paramTable().keySet());
        assertThat(Fixtures.bitIdentical(wg.params(), g.params())).isTrue();
    }

    @Test
    void unwrapRestoresTheOriginalConfigurationAndKeepsTrainedParameters() {
        openEveryIteration();
        MultiLayerNetwork net = mlp();
        MultiLayerNetwork wrapped = LayerWrappers.wrap(net, session.id());
        wrapped.fit(Fixtures.batches(1, 16).get(0));

        MultiLayerNetwork plain = LayerWrappers.unwrap(wrapped);
        assertThat(LayerWrappers.wrappedLayers(plain)).isEmpty();
        assertThat(plain.getLayerWiseConfigurations().getConf(0).getLayer()).isInstanceOf(DenseLayer.class);
        assertThat(Fixtures.bitIdentical(plain.params(), wrapped.params())).isTrue();
        assertThat(plain.getUpdater().getStateViewArray()).isEqualTo(wrapped.getUpdater().getStateViewArray());

        ComputationGraphConfiguration gConf = graph().getConfiguration();
        ComputationGraphConfiguration back = LayerWrappers.unwrap(LayerWrappers.wrap(gConf, session.id()));
        assertThat(back.getVertices()).isEqualTo(gConf.getVertices());
        assertThat(back.getVertexInputs()).isEqualTo(gConf.getVertexInputs());
    }

    @Test
    void wrappedConfigurationSurvivesJsonWithClassNameSessionIdAndLayerName() {
        MultiLayerConfiguration conf = LayerWrappers.wrap(mlp().getLayerWiseConfigurations(), "run-42");
        String json = conf.toJson();
        assertThat(json).contains("\"@class\" : \"io.dl4jdebug.wrapper.ProbedLayer\"", "\"sessionId\" : \"run-42\"");

        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertThat(back).isEqualTo(conf);
        ProbedLayer first = (ProbedLayer) back.getConf(0).getLayer();
        assertThat(first.getLayerName()).isEqualTo("h0");
        assertThat(first.getUnderlying().getLayerName()).isEqualTo("h0");
        assertThat(first.getSessionId()).isEqualTo("run-42");
    }

    @Test
    void modelSerializerRoundTripOfAWrappedNetworkPredictsAndTrainsIdentically() throws IOException {
        openEveryIteration();
        List<DataSet> batches = Fixtures.batches(3, 16);
        MultiLayerNetwork wrapped = LayerWrappers.wrap(mlp(), session.id());
        wrapped.fit(batches.get(0));
        File file = new File(dir, "mlp.zip");
        ModelSerializer.writeModel(wrapped, file, true);

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertThat(restored.getLayer(0)).isInstanceOf(ProbedLayerImpl.class);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(wrapped.getLayerWiseConfigurations());
        INDArray x = batches.get(2).getFeatures();
        assertThat(Fixtures.bitIdentical(restored.output(x), wrapped.output(x))).isTrue();

        restored.fit(batches.get(1));
        wrapped.fit(batches.get(1));
        assertThat(Fixtures.bitIdentical(restored.params(), wrapped.params())).isTrue();
        assertThat(Fixtures.bitIdentical(restored.output(x), wrapped.output(x))).isTrue();
    }

    @Test
    void modelSerializerRoundTripOfAWrappedGraphPredictsAndTrainsIdentically() throws IOException {
        openEveryIteration();
        List<DataSet> batches = Fixtures.batches(3, 16);
        ComputationGraph wrapped = LayerWrappers.wrap(graph(), session.id());
        wrapped.fit(batches.get(0));
        File file = new File(dir, "graph.zip");
        ModelSerializer.writeModel(wrapped, file, true);

        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertThat(restored.getLayer("r1")).isInstanceOf(ProbedLayerImpl.class);
        assertThat(restored.getLayer("out")).isNotInstanceOf(ProbedLayerImpl.class);
        assertThat(restored.getConfiguration()).isEqualTo(wrapped.getConfiguration());
        INDArray x = batches.get(2).getFeatures();
        assertThat(Fixtures.bitIdentical(restored.outputSingle(x), wrapped.outputSingle(x))).isTrue();

        restored.fit(batches.get(1));
        wrapped.fit(batches.get(1));
        assertThat(Fixtures.bitIdentical(restored.params(), wrapped.params())).isTrue();
    }

    @Test
    void healthyWrappedRunIsBitIdenticalToTheUnwrappedOneAndSilent() {
        openEveryIteration();
        List<DataSet> batches = Fixtures.batches(4, 16);
        MultiLayerNetwork plain = mlp();
        MultiLayerNetwork wrapped = LayerWrappers.wrap(mlp(), session.id());
        session.attachTo(wrapped);
        plain.fit(Fixtures.iterator(batches));
        wrapped.fit(Fixtures.iterator(batches));

        assertThat(Fixtures.bitIdentical(wrapped.params(), plain.params())).isTrue();
        INDArray x = Fixtures.batches(5, 16).get(4).getFeatures();
        assertThat(Fixtures.bitIdentical(wrapped.output(x), plain.output(x))).isTrue();
        assertThat(recording.findings()).isEmpty();
        assertThat(recording.nonFiniteEvents()).isEmpty();

        List<LayerProbeSnapshot> snapshots = recording.layerProbeSnapshots();
        assertThat(snapshots).extracting(LayerProbeSnapshot::iteration).containsExactly(0L, 1L, 2L, 3L);
        LayerProbeSnapshot last = snapshots.get(3);
        assertThat(last.forward()).extracting(ActivationStats::layer).containsExactly("h0", "h1");
        assertThat(last.backward()).extracting(BackwardStats::layer).containsExactly("h1", "h0");
        assertThat(last.forward()).allSatisfy(a -> {
            assertThat(a.nonFinite()).isZero();
            assertThat(a.size()).isEqualTo(16L * (a.layer().equals("h0") ? 16 : 8));
        });
        assertThat(last.backward()).allSatisfy(b -> {
            assertThat(b.hasNonFinite()).isFalse();
            assertThat(b.outputGradientNorm()).isPositive().isFinite();
            assertThat(b.inputGradientNorm()).isPositive().isFinite();
        });
        // dL/d(input) of h1 is dL/d(output) of h0 (no preprocessor between them).
        assertThat(last.backward().get(0).inputGradientNorm())
                .isEqualTo(last.backward().get(1).outputGradientNorm());
    }

    @Test
    void healthyWrappedGraphIsBitIdenticalToTheUnwrappedOne() {
        openEveryIteration();
        List<DataSet> batches = Fixtures.batches(3, 16);
        ComputationGraph plain = graph();
        ComputationGraph wrapped = LayerWrappers.wrap(graph(), session.id());
        session.attachTo(wrapped);
        plain.fit(Fixtures.iterator(batches));
        wrapped.fit(Fixtures.iterator(batches));

        assertThat(Fixtures.bitIdentical(wrapped.params(), plain.params())).isTrue();
        assertThat(recording.findings()).isEmpty();
        assertThat(recording.layerProbeSnapshots()).hasSize(3);
        assertThat(recording.layerProbeSnapshots().get(0).backward()).extracting(BackwardStats::layer)
                .containsExactly("r2", "r1", "h1", "h0");
    }

    @Test
    void residualCnnWithBatchNormTrainsBitIdenticallyWrappedAndRestores() throws IOException {
        openEveryIteration();
        List<DataSet> batches = Fixtures.batches(3, 8);
        ComputationGraph plain = Fixtures.residualCnn(5);
        ComputationGraph wrapped = LayerWrappers.wrap(Fixtures.residualCnn(5), session.id());
        session.attachTo(wrapped);
        assertThat(LayerWrappers.wrappedLayers(wrapped))
                .containsExactly("c0", "bn0", "a0", "c1", "bn1", "a1", "c2", "bn2", "a2", "pool", "gap");
        plain.fit(Fixtures.iterator(batches.subList(0, 2)));
        wrapped.fit(Fixtures.iterator(batches.subList(0, 2)));

        assertThat(Fixtures.bitIdentical(wrapped.params(), plain.params())).isTrue();
        INDArray x = batches.get(2).getFeatures();
        assertThat(Fixtures.bitIdentical(wrapped.outputSingle(x), plain.outputSingle(x))).isTrue();
        assertThat(recording.findings()).isEmpty();
        LayerProbeSnapshot last = recording.layerProbeSnapshots().get(1);
        assertThat(last.forward()).hasSize(11);
        assertThat(last.backward()).extracting(BackwardStats::layer).startsWith("gap", "pool", "a2", "bn2");

        File file = new File(dir, "cnn.zip");
        ModelSerializer.writeModel(wrapped, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertThat(Fixtures.bitIdentical(restored.outputSingle(x), wrapped.outputSingle(x))).isTrue();
    }

    @Test
    void outputLayersAreRefusedWithAReason() {
        OutputLayer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(4).nOut(2)
                .activation(Activation.SOFTMAX).build();
        assertThatThrownBy(() -> new ProbedLayer(out, "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'out'").hasMessageContaining("OutputLayer").hasMessageContaining("output layer");
        DenseLayer dense = new DenseLayer.Builder().nIn(4).nOut(2).build();
        assertThatThrownBy(() -> new ProbedLayer(new ProbedLayer(dense, "s"), "s"))
                .hasMessageContaining("already wrapped");
        assertThatThrownBy(() -> new ProbedLayer(dense, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionId");
    }

    @Test
    void sessionsAreRegisteredByIdAndRestoredNetworksCanBeRepointed() throws IOException {
        ProbeSession first = ProbeSession.builder().id("wrappers-test").logging(false).build();
        try {
            assertThatThrownBy(() -> ProbeSession.builder().id("wrappers-test").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'wrappers-test'");
            assertThat(ProbeSession.find("wrappers-test")).containsSame(first);
        } finally {
            first.close();
        }
        assertThat(ProbeSession.find("wrappers-test")).isEmpty();

        // A network saved under a closed session measures nothing until a session is attached.
        MultiLayerNetwork wrapped = LayerWrappers.wrap(mlp(), "wrappers-test");
        File file = new File(dir, "orphan.zip");
        ModelSerializer.writeModel(wrapped, file, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, false);
        restored.fit(Fixtures.batches(1, 16).get(0));
        assertThat(recording.layerProbeSnapshots()).isEmpty();

        openEveryIteration().attachTo(restored);
        assertThat(((ProbedLayer) restored.getLayerWiseConfigurations().getConf(0).getLayer()).getSessionId())
                .isEqualTo(session.id());
        restored.fit(Fixtures.batches(1, 16).get(0));
        assertThat(recording.layerProbeSnapshots()).hasSize(1);
        assertThat(recording.layerProbeSnapshots().get(0).iteration()).isEqualTo(1);
    }
}
