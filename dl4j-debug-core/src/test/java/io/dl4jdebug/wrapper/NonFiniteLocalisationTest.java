package io.dl4jdebug.wrapper;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.NonFiniteDetector;
import io.dl4jdebug.listener.NonFiniteException;
import io.dl4jdebug.measure.HostReads;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.publish.RecordingSink;
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
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real Fashion-MNIST runs made to fail on purpose at a known iteration: the wrappers must name the layer that made
 * the first non-finite value, the pass and the iteration; the healthy twins stay silent.
 */
class NonFiniteLocalisationTest {

    private static final int BATCH = 16;

    private ProbeSession session;
    private final RecordingSink recording = new RecordingSink();

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private ProbeSession open(NanPolicy policy) {
        session = ProbeSession.builder().logging(false).sink(recording)
                .config(LayerProbeConfig.builder().policy(policy).statsSchedule(Schedule.every(2)).build()).build();
        return session;
    }

    /** in -> h0 (relu) -> h1 (given) -> h2 (relu) -> out (softmax). */
    private static MultiLayerNetwork mlp(IActivation middle, double middleBias) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(784).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("h1").nIn(16).nOut(16).activation(middle).biasInit(middleBias)
                        .build())
                .layer(new DenseLayer.Builder().name("h2").nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private MultiLayerNetwork wrapped(MultiLayerNetwork net) {
        MultiLayerNetwork w = LayerWrappers.wrap(net, session.id());
        session.attachTo(w);
        return w;
    }

    private static List<DataSet> batchesWithScaledFeatures(int bad, double factor) {
        List<DataSet> batches = Fixtures.batches(5, BATCH);
        batches.get(bad).getFeatures().muli(factor);
        return batches;
    }

    private NonFiniteEvent onlyEvent() {
        assertThat(recording.nonFiniteEvents()).hasSize(1);
        List<Finding> nonFinite = recording.findings().stream()
                .filter(f -> f.symptom() == Symptom.NON_FINITE).toList();
        assertThat(nonFinite).hasSize(1);
        NonFiniteEvent e = recording.nonFiniteEvents().get(0);
        assertThat(nonFinite.get(0).layerName()).contains(e.layer());
        assertThat(nonFinite.get(0).firstIteration()).isEqualTo(e.iteration());
        return e;
    }

    @Test
    void aMiddleLayerOverflowingInTheForwardPassIsNamedWithItsIteration() {
        open(NanPolicy.LOG);
        // cube(x) overflows float for |x| > ~7e12: batch 3 is scaled so that h1's pre-activation reaches ~1e14.
        MultiLayerNetwork net = wrapped(mlp(Activation.CUBE.getActivationFunction(), 0));
        net.fit(session.guard(Fixtures.iterator(batchesWithScaledFeatures(3, 1e14))));

        NonFiniteEvent e = onlyEvent();
        assertThat(e.iteration()).isEqualTo(3);
        assertThat(e.layer()).isEqualTo("h1");
        assertThat(e.kind()).isEqualTo(NonFiniteEvent.Kind.ACTIVATION);
        assertThat(e.pass()).isEqualTo(NonFiniteEvent.Pass.FORWARD);
        assertThat(e.describe()).contains("iteration 3", "activation", "'h1'");
    }

    @Test
    void aLayerWhoseForwardIsFiniteButWhoseGradientIsNotIsNamedInTheBackwardPass() {
        open(NanPolicy.LOG);
        // sqrt(relu(x)) is finite everywhere, its naive derivative is infinite at x <= 0. Bias 5 keeps h1's
        // pre-activation positive on normal batches; batch 2 is scaled so that many become negative.
        MultiLayerNetwork net = wrapped(mlp(new Fixtures.SqrtOfRelu(), 5.0));
        net.fit(session.guard(Fixtures.iterator(batchesWithScaledFeatures(2, 100))));

        NonFiniteEvent e = onlyEvent();
        assertThat(e.iteration()).isEqualTo(2);
        assertThat(e.layer()).isEqualTo("h1");
        assertThat(e.kind()).isEqualTo(NonFiniteEvent.Kind.INPUT_GRADIENT);
        assertThat(e.pass()).isEqualTo(NonFiniteEvent.Pass.BACKWARD);
        assertThat(e.describe()).contains("iteration 2", "dL/d(input) produced by layer 'h1'");
    }

    @Test
    void eachWrappedLayerReadsOncePerPassWhetherMeasuringOrOnlyChecking() {
        open(NanPolicy.THROW);
        MultiLayerNetwork net = wrapped(mlp(Activation.TANH.getActivationFunction(), 0.0));
        List<DataSet> batches = Fixtures.batches(4, BATCH);
        long[] reads = new long[batches.size()];
        for (int i = 0; i < reads.length; i++) {
            long before = HostReads.count();
            net.fit(batches.get(i));
            reads[i] = HostReads.count() - before;
        }

        // Three wrapped layers (h0, h1, h2), each one read forward and one backward (parameter gradients included),
        // on iterations with statistics (0, 2) and on iterations with only the non-finite check (1, 3) alike.
        assertThat(reads).containsExactly(6, 6, 6, 6);
        assertThat(recording.nonFiniteEvents()).isEmpty();
    }

    @Test
    void healthyTwinOfTheSameNetworkStaysSilent() {
        open(NanPolicy.THROW);
        MultiLayerNetwork net = wrapped(mlp(new Fixtures.SqrtOfRelu(), 5.0));
        net.fit(session.guard(Fixtures.iterator(Fixtures.batches(5, BATCH))));

        assertThat(recording.nonFiniteEvents()).isEmpty();
        assertThat(recording.findings()).isEmpty();
        assertThat(session.firstNonFinite()).isEmpty();
        assertThat(net.getIterationCount()).isEqualTo(5);
    }

    @Test
    void nanInTheFeaturesIsBlamedOnTheDataNotOnTheFirstLayer() {
        open(NanPolicy.LOG);
        MultiLayerNetwork net = wrapped(mlp(Activation.RELU.getActivationFunction(), 0));
        List<DataSet> batches = Fixtures.batches(3, BATCH);
        batches.get(1).getFeatures().putScalar(0, 5, Double.NaN);
        net.fit(Fixtures.iterator(batches));

        NonFiniteEvent e = onlyEvent();
        assertThat(e.iteration()).isEqualTo(1);
        assertThat(e.layer()).isEqualTo("h0");
        assertThat(e.kind()).isEqualTo(NonFiniteEvent.Kind.LAYER_INPUT);
        assertThat(e.count()).isEqualTo(1);
    }

    @Test
    void aNonFiniteLossGradientArrivesAtTheTopWrappedLayer() {
        open(NanPolicy.LOG);
        MultiLayerNetwork net = wrapped(mlp(Activation.RELU.getActivationFunction(), 0));
        List<DataSet> batches = Fixtures.batches(3, BATCH);
        batches.get(2).getLabels().putScalar(0, 0, Double.NaN);
        net.fit(Fixtures.iterator(batches));

        NonFiniteEvent e = onlyEvent();
        assertThat(e.iteration()).isEqualTo(2);
        assertThat(e.layer()).isEqualTo("h2");
        assertThat(e.kind()).isEqualTo(NonFiniteEvent.Kind.OUTPUT_GRADIENT);
        assertThat(e.pass()).isEqualTo(NonFiniteEvent.Pass.BACKWARD);
    }

    @Test
    void policyThrowStopsFitBeforeTheUpdate() {
        open(NanPolicy.THROW);
        MultiLayerNetwork net = wrapped(mlp(Activation.CUBE.getActivationFunction(), 0));
        List<DataSet> batches = batchesWithScaledFeatures(3, 1e14);

        assertThatThrownBy(() -> net.fit(Fixtures.iterator(batches)))
                .isInstanceOf(NonFiniteException.class)
                .hasMessageContaining("iteration 3")
                .hasMessageContaining("'h1'")
                .satisfies(t -> assertThat(((NonFiniteException) t).event().pass())
                        .isEqualTo(NonFiniteEvent.Pass.FORWARD));
        assertThat(net.getIterationCount()).isEqualTo(3);
        assertThat(net.params().sumNumber().doubleValue()).isFinite();
    }

    @Test
    void policyStopEndsFitAfterTheIterationThatFoundIt() {
        open(NanPolicy.STOP);
        MultiLayerNetwork net = wrapped(mlp(new Fixtures.SqrtOfRelu(), 5.0));
        net.fit(session.guard(Fixtures.iterator(batchesWithScaledFeatures(2, 100))));

        assertThat(session.stopRequested()).isTrue();
        assertThat(net.getIterationCount()).isEqualTo(3);
        assertThat(onlyEvent().iteration()).isEqualTo(2);
    }

    /**
     * in -> h0 (relu) -> r1 (relu) -> r2 (given) -> add(h0, r2) -> h3 (relu) -> out: a residual block whose branch
     * output r2 joins the skip connection in an element-wise add.
     */
    private ComputationGraph residual(IActivation branch, double branchBias) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .addLayer("h0", new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("r1", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build(), "h0")
                .addLayer("r2", new DenseLayer.Builder().nIn(16).nOut(16).activation(branch).biasInit(branchBias)
                        .build(), "r1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "h0", "r2")
                .addLayer("h3", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "h3")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        ComputationGraph w = LayerWrappers.wrap(graph, session.id());
        session.attachTo(w);
        return w;
    }

    @Test
    void aNanMadeInAResidualBranchIsNamedThereNotAfterTheAdd() {
        open(NanPolicy.LOG);
        // ln(x) is NaN for x < 0: bias 5 keeps r2's pre-activation positive on normal batches, batch 2 does not.
        ComputationGraph graph = residual(new Fixtures.Log(), 5.0);
        graph.fit(session.guard(Fixtures.iterator(batchesWithScaledFeatures(2, 100))));

        NonFiniteEvent e = onlyEvent();
        assertThat(e.iteration()).isEqualTo(2);
        assertThat(e.layer()).isEqualTo("r2");
        assertThat(e.kind()).isEqualTo(NonFiniteEvent.Kind.ACTIVATION);
        assertThat(e.pass()).isEqualTo(NonFiniteEvent.Pass.FORWARD);
    }

    @Test
    void aNanGradientFlowingThroughTheResidualAddIsNamedAtTheBranchThatMadeIt() {
        open(NanPolicy.LOG);
        // r2's gradient turns NaN in batch 3; the add vertex hands it to h0 together with the finite skip gradient,
        // so h0's parameter gradients are NaN too (the first NaNs in the flattened gradient), yet r2 made them.
        ComputationGraph graph = residual(new Fixtures.SqrtOfRelu(), 5.0);
        RecordingSink listenerView = new RecordingSink();
        graph.addListeners(NonFiniteDetector.withPolicy(NanPolicy.LOG, listenerView));
        graph.fit(session.guard(Fixtures.iterator(batchesWithScaledFeatures(3, 100))));

        NonFiniteEvent e = onlyEvent();
        assertThat(e.iteration()).isEqualTo(3);
        assertThat(e.layer()).isEqualTo("r2");
        assertThat(e.kind()).isEqualTo(NonFiniteEvent.Kind.INPUT_GRADIENT);
        assertThat(e.pass()).isEqualTo(NonFiniteEvent.Pass.BACKWARD);
        // A listener only sees the parameter gradients after the backward pass, where h0 (which merely received the
        // NaN through the add) is bad too; scanning them output side first it also names r2.
        assertThat(listenerView.firstNonFinite()).hasValueSatisfying(l -> {
            assertThat(l.iteration()).isEqualTo(3);
            assertThat(l.kind()).isEqualTo(NonFiniteEvent.Kind.GRADIENT);
            assertThat(l.layer()).isEqualTo("r2");
        });
    }

    @Test
    void healthyResidualTwinStaysSilent() {
        open(NanPolicy.THROW);
        ComputationGraph graph = residual(new Fixtures.SqrtOfRelu(), 5.0);
        graph.fit(session.guard(Fixtures.iterator(Fixtures.batches(5, BATCH))));

        assertThat(recording.findings()).isEmpty();
        assertThat(recording.nonFiniteEvents()).isEmpty();
        assertThat(graph.getIterationCount()).isEqualTo(5);
    }
}
