package io.dl4jdebug.listener;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.Naive;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The monitors' device reductions agree with a naive JVM reference computed on a copy of the network, for a
 * MultiLayerNetwork and a ComputationGraph with a residual block, on real Fashion-MNIST data.
 */
class MonitorNumericsTest {

    private static final double RELATIVE = 1e-4;
    private static final int BATCH = 32;

    @Test
    void gradientSnapshotMatchesReferenceOnMultiLayerNetwork() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Adam(1e-2)));
        DataSet batch = FashionData.train(BATCH);
        MultiLayerNetwork reference = net.clone();
        reference.setInput(batch.getFeatures());
        reference.setLabels(batch.getLabels());
        reference.computeGradientAndScore();

        GradientSnapshot snapshot = trainOneStep(net, batch);

        assertAgrees(snapshot, ModelView.of(net), reference.gradient().gradientForVariable(),
                ModelView.of(reference));
    }

    @Test
    void gradientSnapshotMatchesReferenceOnComputationGraph() {
        ComputationGraph net = TestNets.residual(TestNets.spec().updater(new Sgd(0.05)));
        DataSet batch = FashionData.train(BATCH);
        ComputationGraph reference = net.clone();
        reference.setInputs(batch.getFeatures());
        reference.setLabels(batch.getLabels());
        reference.computeGradientAndScore();

        GradientSnapshot snapshot = trainOneStep(net, batch);

        assertAgrees(snapshot, ModelView.of(net), reference.gradient().gradientForVariable(),
                ModelView.of(reference));
    }

    private static GradientSnapshot trainOneStep(Model net, DataSet batch) {
        RecordingSink sink = new RecordingSink();
        GradientMonitor monitor = new GradientMonitor(GradientMonitorConfig.builder()
                .schedule(Schedule.everyIteration()).build(), List.of(sink));
        ModelView.of(net).addListeners(monitor);
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(batch);
        } else {
            ((ComputationGraph) net).fit(batch);
        }
        assertThat(sink.gradientSnapshots()).hasSize(1);
        return sink.gradientSnapshots().get(0);
    }

    private static void assertAgrees(GradientSnapshot snapshot, ModelView trained, Map<String, INDArray> rawGradients,
                                     ModelView before) {
        assertThat(snapshot.iteration()).isZero();
        assertThat(snapshot.minibatchSize()).isEqualTo(BATCH);
        List<ParameterInfo> params = trained.parameters();
        assertThat(snapshot.parameters()).extracting(ParameterStats::displayName)
                .containsExactlyElementsOf(params.stream().map(ParameterInfo::displayName).toList());
        for (int i = 0; i < params.size(); i++) {
            ParameterInfo p = params.get(i);
            ParameterStats s = snapshot.parameters().get(i);
            INDArray after = trained.parameterArray(p);
            INDArray beforeArray = before.parameterArray(p);
            double gradient = Naive.l2(rawGradients.get(p.flatKey())) / BATCH;
            double update = Naive.l2Difference(beforeArray, after);
            double param = Naive.l2(after);
            assertThat(s.gradientNorm()).as("gradient norm of %s", p.displayName())
                    .isCloseTo(gradient, within(RELATIVE * gradient + 1e-9));
            assertThat(s.updateNorm()).as("update norm of %s", p.displayName())
                    .isCloseTo(update, within(1e-3 * update + 1e-7));
            assertThat(s.parameterNorm()).as("parameter norm of %s", p.displayName())
                    .isCloseTo(param, within(RELATIVE * param + 1e-9));
            assertThat(s.updateRatio()).hasValueCloseTo(update / param, within(1e-3 * update / param + 1e-9));
            assertThat(s.nonFiniteGradients()).isZero();
            assertThat(s.nonFiniteParameters()).isZero();
        }
    }

    @Test
    void activationSnapshotMatchesReferenceOnMultiLayerNetwork() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().activation(Activation.TANH).hidden(48, 24));
        DataSet batch = FashionData.train(BATCH);
        List<INDArray> reference = net.feedForward(batch.getFeatures(), true);

        List<ActivationStats> stats = activationsOfOneStep(net, batch);

        assertThat(stats).extracting(ActivationStats::layer).containsExactly("h0", "h1");
        for (int i = 0; i < stats.size(); i++) {
            assertActivationAgrees(stats.get(i), reference.get(i + 1));
        }
    }

    @Test
    void activationSnapshotMatchesReferenceOnComputationGraph() {
        ComputationGraph net = TestNets.residual(TestNets.spec());
        DataSet batch = FashionData.train(BATCH);
        Map<String, INDArray> reference = net.feedForward(batch.getFeatures(), true);

        List<ActivationStats> stats = activationsOfOneStep(net, batch);

        assertThat(stats).extracting(ActivationStats::layer).containsExactly("h0", "h1", "r1", "r2", "add");
        for (ActivationStats s : stats) {
            assertActivationAgrees(s, reference.get(s.layer()));
        }
    }

    private static List<ActivationStats> activationsOfOneStep(Model net, DataSet batch) {
        RecordingSink sink = new RecordingSink();
        ActivationMonitor monitor = new ActivationMonitor(ActivationMonitorConfig.builder()
                .schedule(Schedule.everyIteration()).build(), List.of(sink));
        ModelView.of(net).addListeners(monitor);
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(batch);
        } else {
            ((ComputationGraph) net).fit(batch);
        }
        assertThat(sink.activationSnapshots()).hasSize(1);
        return sink.activationSnapshots().get(0).layers();
    }

    private static void assertActivationAgrees(ActivationStats s, INDArray reference) {
        assertThat(s.size()).isEqualTo(reference.length());
        assertThat(s.mean()).as("mean of %s", s.layer()).isCloseTo(Naive.mean(reference), within(1e-5));
        assertThat(s.std()).as("std of %s", s.layer()).isCloseTo(Naive.std(reference), within(1e-4));
        assertThat(s.zeroFraction()).isCloseTo(Naive.zeroFraction(reference), within(1e-9));
        assertThat(s.deadUnits()).isEqualTo(Naive.deadUnits(reference));
        assertThat(s.units()).isEqualTo((int) reference.size(1));
        if (s.saturation().applies()) {
            assertThat(s.saturation().fraction())
                    .isCloseTo(Naive.fractionAtBounds(reference, -0.98, 0.98), within(1e-9));
            assertThat(s.saturation().units()).isEqualTo(Naive.saturatedUnits(reference, -0.98, 0.98));
        }
    }
}
