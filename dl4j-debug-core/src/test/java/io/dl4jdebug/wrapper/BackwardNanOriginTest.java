package io.dl4jdebug.wrapper;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.listener.NonFiniteDetector;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.testing.StepReplay;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A NaN made in the backward pass of a middle layer (a sqrt-like activation: finite output, infinite derivative at
 * 0) poisons the parameter gradients of every layer below it. The listener-only {@link NonFiniteDetector} must name
 * the layer that made it, as two independent references do: the layer wrappers (which watch each layer's backward
 * pass) and {@link StepReplay} (which names the layer whose gradient is bad while every layer above it is clean).
 * Scanning the flattened gradient from the input side names the first layer instead, which only received the NaN.
 */
class BackwardNanOriginTest {

    private static final int BATCH = 16;
    /** The batch whose features are scaled so that the middle layer's pre-activations turn negative. */
    private static final int BAD_BATCH = 2;

    private ProbeSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private static List<DataSet> batches() {
        List<DataSet> batches = Fixtures.batches(5, BATCH);
        batches.get(BAD_BATCH).getFeatures().muli(100);
        return batches;
    }

    /** in -> h0 (relu) -> h1 (sqrt of relu, bias 5) -> h2 (relu) -> h3 (relu) -> out (softmax). */
    private static MultiLayerNetwork mlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(784).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("h1").nIn(16).nOut(16).activation(new Fixtures.SqrtOfRelu())
                        .biasInit(5.0).build())
                .layer(new DenseLayer.Builder().name("h2").nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("h3").nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * in -> h0 (relu) -> r1 (relu) -> r2 (sqrt of relu, bias 5) -> add(h0, r2) -> h3 (relu) -> out: the NaN made
     * by r2 reaches h0 through the add (and through r1), so h0, r1 and r2 all hold bad gradients.
     */
    private static ComputationGraph residual() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .addLayer("h0", new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("r1", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build(), "h0")
                .addLayer("r2", new DenseLayer.Builder().nIn(16).nOut(16).activation(new Fixtures.SqrtOfRelu())
                        .biasInit(5.0).build(), "r1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "h0", "r2")
                .addLayer("h3", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "h3")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Trains a wrapped copy with both the wrappers' session and the detector; returns both first events. */
    private NonFiniteEvent[] wrappersAndDetector(Model net) {
        session = ProbeSession.builder().logging(false)
                .config(LayerProbeConfig.builder().policy(NanPolicy.LOG).build()).build();
        RecordingSink detected = new RecordingSink();
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.LOG, detected);
        if (net instanceof MultiLayerNetwork) {
            MultiLayerNetwork wrapped = LayerWrappers.wrap((MultiLayerNetwork) net, session.id());
            session.attachTo(wrapped);
            wrapped.addListeners(detector);
            wrapped.fit(Fixtures.iterator(batches()));
        } else {
            ComputationGraph wrapped = LayerWrappers.wrap((ComputationGraph) net, session.id());
            session.attachTo(wrapped);
            wrapped.addListeners(detector);
            wrapped.fit(Fixtures.iterator(batches()));
        }
        return new NonFiniteEvent[] {session.firstNonFinite().orElseThrow(), detector.firstEvent().orElseThrow()};
    }

    private static void assertBackwardOrigin(NonFiniteEvent[] events, String origin) {
        NonFiniteEvent byWrappers = events[0];
        NonFiniteEvent byDetector = events[1];
        // The reference: the wrappers saw a finite dL/d(output) enter the layer and a non-finite dL/d(input) leave.
        assertThat(byWrappers.kind()).isEqualTo(NonFiniteEvent.Kind.INPUT_GRADIENT);
        assertThat(byWrappers.iteration()).isEqualTo(BAD_BATCH);
        assertThat(byWrappers.layer()).isEqualTo(origin);
        // The listener sees only the parameter gradients, and must name the same layer.
        assertThat(byDetector.kind()).isEqualTo(NonFiniteEvent.Kind.GRADIENT);
        assertThat(byDetector.iteration()).isEqualTo(byWrappers.iteration());
        assertThat(byDetector.layer()).isEqualTo(byWrappers.layer());
        assertThat(byDetector.describe()).contains("'" + origin + "'");
    }

    @Test
    void detectorNamesTheMiddleLayerWhoseBackwardPassMadeTheNanLikeTheWrappersOnMultiLayerNetwork() {
        assertBackwardOrigin(wrappersAndDetector(mlp()), "h1");
    }

    @Test
    void detectorNamesTheResidualBranchWhoseBackwardPassMadeTheNanLikeTheWrappersOnComputationGraph() {
        assertBackwardOrigin(wrappersAndDetector(residual()), "r2");
    }

    @Test
    void replayAndDetectorAgreeOnTheBackwardOriginOnMultiLayerNetwork() {
        assertAgreesWithReplay(mlp(), mlp(), "h1");
    }

    @Test
    void replayAndDetectorAgreeOnTheBackwardOriginOnComputationGraph() {
        assertAgreesWithReplay(residual(), residual(), "r2");
    }

    private static void assertAgreesWithReplay(Model forReplay, Model net, String origin) {
        StepReplay.Found expected = StepReplay.firstNonFinite(forReplay, batches()).orElseThrow(
                () -> new AssertionError("the replay found no non-finite value"));
        assertThat(expected.iteration()).isEqualTo(BAD_BATCH);
        assertThat(expected.kind()).isEqualTo(NonFiniteEvent.Kind.GRADIENT);
        assertThat(expected.origins()).extracting(StepReplay.Origin::layer).containsExactly(origin);

        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.LOG);
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).addListeners(detector);
            ((MultiLayerNetwork) net).fit(Fixtures.iterator(batches()));
        } else {
            ((ComputationGraph) net).addListeners(detector);
            ((ComputationGraph) net).fit(Fixtures.iterator(batches()));
        }
        NonFiniteEvent event = detector.firstEvent().orElseThrow();
        assertThat(event.iteration()).isEqualTo(expected.iteration());
        assertThat(event.kind()).isEqualTo(expected.kind());
        assertThat(expected.names(event.layer(), event.parameter()))
                .as("replay origins %s, detector named %s/%s", expected.origins(), event.layer(), event.parameter())
                .isTrue();
    }

    @Test
    void healthyTwinsStaySilent() {
        NonFiniteDetector onMlp = NonFiniteDetector.withPolicy(NanPolicy.THROW);
        NonFiniteDetector onGraph = NonFiniteDetector.withPolicy(NanPolicy.THROW);
        MultiLayerNetwork net = mlp();
        ComputationGraph graph = residual();
        net.addListeners(onMlp);
        graph.addListeners(onGraph);

        net.fit(Fixtures.iterator(Fixtures.batches(5, BATCH)));
        graph.fit(Fixtures.iterator(Fixtures.batches(5, BATCH)));

        assertThat(onMlp.firstEvent()).isEmpty();
        assertThat(onGraph.firstEvent()).isEmpty();
    }
}
