package io.dl4jdebug.wrapper;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.publish.RecordingSink;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DL4J's central-difference gradient check in double precision passes for wrapped networks exactly as for the
 * unwrapped ones, and the analytic gradients are bit-identical: the wrapper changes no math.
 */
class WrapperGradientCheckTest {

    private static final int IN = 16;

    private static DataType savedDefault;
    private static DataType savedFloatingPoint;

    private ProbeSession session;
    private final RecordingSink recording = new RecordingSink();

    @BeforeAll
    static void doublePrecision() {
        savedDefault = Nd4j.dataType();
        savedFloatingPoint = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloatingPoint);
    }

    @BeforeEach
    void open() {
        session = ProbeSession.builder().logging(false).sink(recording)
                .config(LayerProbeConfig.builder().policy(NanPolicy.THROW).statsSchedule(Schedule.everyIteration())
                        .build()).build();
    }

    @AfterEach
    void close() {
        session.close();
    }

    /**
     * Six real examples, each image averaged over 7x7 pixel blocks to 4x4 = 16 features: DL4J's graph gradient check
     * ignores {@code subset} and perturbs every parameter, so the input is kept small.
     */
    private static DataSet data() {
        DataSet d = Fixtures.batches(1, 6).get(0);
        INDArray pooled = d.getFeatures().castTo(DataType.DOUBLE).reshape('c', 6, 4, 7, 4, 7).mean(2, 4)
                .reshape('c', 6, IN);
        return new DataSet(pooled, d.getLabels().castTo(DataType.DOUBLE));
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new NoOp())
                .weightInit(WeightInit.XAVIER);
    }

    @Test
    void multiLayerNetworkPassesWrappedAsUnwrapped() {
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().name("h0").nIn(IN).nOut(4).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("h1").nIn(4).nOut(3).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(3).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork plain = new MultiLayerNetwork(conf);
        plain.init();
        MultiLayerNetwork wrapped = LayerWrappers.wrap(plain, session.id());
        assertThat(LayerWrappers.wrappedLayers(wrapped)).containsExactly("h0", "h1");
        DataSet d = data();

        assertThat(check(plain, d)).isTrue();
        assertThat(check(wrapped, d)).isTrue();
        assertThat(Fixtures.bitIdentical(gradient(wrapped, d), gradient(plain, d))).isTrue();
        assertThat(recording.findings()).isEmpty();
        assertThat(recording.layerProbeSnapshots()).isNotEmpty();
    }

    @Test
    void residualGraphPassesWrappedAsUnwrapped() {
        ComputationGraphConfiguration conf = base().graphBuilder().addInputs("in")
                .addLayer("h0", new DenseLayer.Builder().nIn(IN).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("r1", new DenseLayer.Builder().nIn(4).nOut(4).activation(Activation.TANH).build(), "h0")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "h0", "r1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "add")
                .setOutputs("out").build();
        ComputationGraph plain = new ComputationGraph(conf);
        plain.init();
        ComputationGraph wrapped = LayerWrappers.wrap(plain, session.id());
        assertThat(LayerWrappers.wrappedLayers(wrapped)).containsExactly("h0", "r1");
        DataSet d = data();

        assertThat(check(plain, d)).isTrue();
        assertThat(check(wrapped, d)).isTrue();
        assertThat(Fixtures.bitIdentical(gradient(wrapped, d), gradient(plain, d))).isTrue();
        assertThat(recording.findings()).isEmpty();
    }

    // Relative error 1e-5 as the method asks; gradients below 1e-8 in absolute error pass (central differences of
    // a score near 2.3 cannot resolve them in double precision).
    private static boolean check(MultiLayerNetwork net, DataSet d) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(d.getFeatures())
                .labels(d.getLabels()).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .subset(true).maxPerParam(20).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    private static boolean check(ComputationGraph net, DataSet d) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{d.getFeatures()}).labels(new INDArray[]{d.getLabels()}).epsilon(1e-6)
                .maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    private static INDArray gradient(MultiLayerNetwork net, DataSet d) {
        net.setInput(d.getFeatures());
        net.setLabels(d.getLabels());
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    private static INDArray gradient(ComputationGraph net, DataSet d) {
        net.setInputs(d.getFeatures());
        net.setLabels(d.getLabels());
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }
}
