package io.dl4jdebug.listener;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.data.SumTask;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.testing.RnnNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitors on real recurrent networks: LSTMs on the generated masked sum task (MultiLayerNetwork and
 * ComputationGraph) and on Fashion-MNIST read as 28-step sequences; truncated BPTT and {@code rnnTimeStep} with the
 * whole suite attached.
 */
class RecurrentMonitorsTest {

    private static DebugSuite suite() {
        return DebugSuite.builder().nanPolicy(NanPolicy.LOG).logging(false)
                .activationConfig(ActivationMonitorConfig.builder().schedule(Schedule.everyIteration()).build())
                .gradientConfig(GradientMonitorConfig.builder().schedule(Schedule.everyIteration()).build())
                .build();
    }

    private static ActivationStats layer(ActivationSnapshot s, String name) {
        return s.layers().stream().filter(l -> l.layer().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void maskedSumTaskIsMeasuredOverRealStepsWithRecurrentWeightGradients() {
        MultiLayerNetwork net = RnnNets.sum(1, 16, new Adam(1e-2), 0);
        DebugSuite suite = suite().attachTo(net);
        DataSet batch = SumTask.perStep(32, 4, 20, 11);
        long realSteps = batch.getFeaturesMaskArray().sumNumber().longValue();
        assertThat(realSteps).isLessThan(32L * 20);

        net.fit(batch);

        ActivationStats lstm = layer(suite.recording().activationSnapshots().get(0), "lstm");
        assertThat(lstm.size()).as("values over real steps only").isEqualTo(realSteps * 16);
        assertThat(lstm.units()).isEqualTo(16);
        GradientSnapshot g = suite.recording().gradientSnapshots().get(0);
        List<String> keys = g.parameters().stream().filter(p -> p.layer().equals("lstm")).map(ParameterStats::key)
                .toList();
        assertThat(keys).containsExactlyInAnyOrder("W", "RW", "b");
        assertThat(g.parameters()).filteredOn(p -> p.key().equals("RW"))
                .allMatch(p -> p.gradientNorm() > 0 && Double.isFinite(p.gradientNorm()));
        assertThat(suite.failures()).isEmpty();
    }

    @Test
    void healthyLstmsStaySilentOnTheSumTaskAndOnFashionSequences() {
        MultiLayerNetwork sum = RnnNets.sum(1, 16, new Adam(1e-2), 0);
        DebugSuite sumSuite = suite().attachTo(sum);
        sum.fit(RnnNets.sumIterator(512, 4, 20, 32), 3);
        assertThat(sumSuite.findings()).isEmpty();
        assertThat(sumSuite.failures()).isEmpty();

        ComputationGraph graph = RnnNets.sumGraph(1, 16, new Adam(1e-2));
        DebugSuite graphSuite = suite().attachTo(graph);
        graph.fit(RnnNets.sumIterator(256, 4, 20, 32), 2);
        assertThat(layer(graphSuite.recording().activationSnapshots().get(0), "lstm").size())
                .as("the graph's LSTM is measured over real steps too").isLessThan(32L * 20 * 16);
        assertThat(graphSuite.findings()).isEmpty();

        MultiLayerNetwork fashion = RnnNets.fashion(1, 32);
        DebugSuite fashionSuite = suite().attachTo(fashion);
        DataSetIterator data = RnnNets.fashionSequences(1024, 64);
        double before = fashion.score(data.next());
        data.reset();
        fashion.fit(data, 2);
        data.reset();
        assertThat(fashion.score(data.next())).isLessThan(before * 0.8);
        assertThat(fashionSuite.findings()).isEmpty();
        assertThat(fashionSuite.failures()).isEmpty();
    }

    @Test
    void truncatedBpttAndRnnTimeStepBreakNoListener() {
        MultiLayerNetwork net = RnnNets.sum(1, 8, new Adam(1e-2), 5);
        DebugSuite suite = suite().attachTo(net);
        net.fit(RnnNets.sumIterator(128, 4, 20, 32), 2);
        // 4 minibatches x 4 segments of 5 steps x 2 epochs: one snapshot per segment update.
        assertThat(suite.recording().gradientSnapshots()).hasSize(32);
        assertThat(suite.recording().activationSnapshots()).allSatisfy(s ->
                assertThat(layer(s, "lstm").size()).isLessThanOrEqualTo(32L * 5 * 8));
        assertThat(suite.failures()).isEmpty();
        assertThat(suite.firstNonFinite()).isEmpty();

        INDArray step = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 1);
        INDArray out1 = net.rnnTimeStep(step);
        INDArray out2 = net.rnnTimeStep(step);
        assertThat(out1.shape()).containsExactly(3, 1);
        assertThat(out2).isNotEqualTo(out1); // the stored state moved on
        net.rnnClearPreviousState();
        net.fit(SumTask.perStep(32, 4, 20, 3));
        assertThat(suite.failures()).isEmpty();
        suite.close();
    }
}
