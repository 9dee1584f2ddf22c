package io.dl4jdebug.measure;

import io.dl4jdebug.model.ActivationKind;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the number of host reads (values crossing from the device to the JVM; a synchronisation each on CUDA) per
 * probe call, so that batching cannot silently regress.
 */
class HostReadsTest {

    private static LayerInfo layer(String activation) {
        return new LayerInfo(0, "l", "DenseLayer", activation, ActivationKind.classify(activation), List.of(), false,
                true, 1);
    }

    private static long readsOf(Runnable call) {
        long before = HostReads.count();
        call.run();
        return HostReads.count() - before;
    }

    @Test
    void theCounterCountsEachScalarThatCrossesToTheJvm() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 8);
        assertThat(readsOf(() -> DenseReductions.l2(x))).isEqualTo(1);
        assertThat(readsOf(() -> DenseReductions.l1(x))).isEqualTo(1);
        assertThat(readsOf(() -> NonFiniteProbe.count(x))).isEqualTo(1);
        assertThat(readsOf(() -> NonFiniteProbe.countAfterSum(x))).isEqualTo(1);
    }

    @Test
    void activationProbeReadsPerLayer() {
        Nd4j.getRandom().setSeed(3);
        ActivationProbe probe = new ActivationProbe();
        INDArray relu = Transforms.relu(Nd4j.randn(DataType.FLOAT, 16, 12));
        INDArray tanh = Transforms.tanh(Nd4j.randn(DataType.FLOAT, 16, 12));
        INDArray conv = Transforms.relu(Nd4j.randn(DataType.FLOAT, 4, 6, 5, 5));

        assertThat(readsOf(() -> probe.measure(layer("relu"), relu))).isEqualTo(1);
        assertThat(readsOf(() -> probe.measure(layer("tanh"), tanh))).isEqualTo(1);
        assertThat(readsOf(() -> probe.measure(layer("relu"), conv))).isEqualTo(1);
    }

    @Test
    void backwardProbeReadsPerLayer() {
        INDArray out = Nd4j.rand(DataType.FLOAT, 8, 4);
        INDArray in = Nd4j.rand(DataType.FLOAT, 8, 6);
        assertThat(readsOf(() -> new BackwardProbe().measure("l", out, in))).isEqualTo(1);
    }

    @Test
    void parameterProbeReadsPerMeasuredIteration() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        ModelView view = ModelView.of(net);
        ParameterProbe probe = new ParameterProbe(view);
        int parameters = probe.parameters().size();
        assertThat(parameters).isEqualTo(6);
        long[] reads = new long[2];
        view.addListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                reads[0] += readsOf(() -> probe.measureRawGradients(ModelView.of(model)));
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                reads[1] += readsOf(() -> probe.finish(ModelView.of(model), iteration, epoch));
            }
        });

        net.fit(FashionData.train(16));

        assertThat(reads[0]).as("raw gradients").isEqualTo(1);
        assertThat(reads[1]).as("updates and parameters").isEqualTo(1);
    }
}
