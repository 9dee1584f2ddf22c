package io.dl4jdebug.measure;

import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.Naive;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The batched parameter norms (one vector per step, one host read) agree with a naive double reference on both
 * reduction paths: the CPU's BLAS path and the device path that CUDA takes (run here on the CPU).
 */
class ParameterProbeTest {

    private static final double RELATIVE = 1e-4;
    private static final int BATCH = 32;

    /** What one training step with the probe attached produced. */
    private record Step(GradientSnapshot snapshot, long rawReads, long finishReads) {
    }

    private static Step trainOneStep(Model net, DataSet batch, ScalarBatch.Path path) {
        return trainOneStep(net, batch, path, view -> { });
    }

    private static Step trainOneStep(Model net, DataSet batch, ScalarBatch.Path path,
                                     Consumer<ModelView> beforeFinish) {
        ParameterProbe probe = new ParameterProbe(ModelView.of(net), path);
        GradientSnapshot[] snapshot = new GradientSnapshot[1];
        long[] reads = new long[2];
        ModelView.of(net).addListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                long before = HostReads.count();
                probe.measureRawGradients(ModelView.of(model));
                reads[0] += HostReads.count() - before;
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                beforeFinish.accept(ModelView.of(model));
                long before = HostReads.count();
                snapshot[0] = probe.finish(ModelView.of(model), iteration, epoch);
                reads[1] += HostReads.count() - before;
            }
        });
        if (net instanceof MultiLayerNetwork mln) {
            mln.fit(batch);
        } else {
            ((ComputationGraph) net).fit(batch);
        }
        return new Step(snapshot[0], reads[0], reads[1]);
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void multiLayerNetworkNormsAgreeWithReferenceInOneReadPerStep(ScalarBatch.Path path) {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Adam(1e-2)));
        DataSet batch = FashionData.train(BATCH);
        MultiLayerNetwork reference = net.clone();
        reference.setInput(batch.getFeatures());
        reference.setLabels(batch.getLabels());
        reference.computeGradientAndScore();

        Step step = trainOneStep(net, batch, path);

        assertAgrees(step.snapshot(), ModelView.of(net), reference.gradient().gradientForVariable(),
                ModelView.of(reference));
        assertThat(step.rawReads()).as("host reads of the raw-gradient step").isEqualTo(1);
        assertThat(step.finishReads()).as("host reads of the update and parameter step").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void computationGraphNormsAgreeWithReferenceInOneReadPerStep(ScalarBatch.Path path) {
        ComputationGraph net = TestNets.residual(TestNets.spec().updater(new Sgd(0.05)));
        DataSet batch = FashionData.train(BATCH);
        ComputationGraph reference = net.clone();
        reference.setInputs(batch.getFeatures());
        reference.setLabels(batch.getLabels());
        reference.computeGradientAndScore();

        Step step = trainOneStep(net, batch, path);

        assertAgrees(step.snapshot(), ModelView.of(net), reference.gradient().gradientForVariable(),
                ModelView.of(reference));
        assertThat(step.rawReads()).isEqualTo(1);
        assertThat(step.finishReads()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void aNonFiniteParameterIsCountedExactly(ScalarBatch.Path path) {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Sgd(0.01)));

        // The step's update is applied; then two values of the first weight turn non-finite before the probe reads.
        GradientSnapshot snapshot = trainOneStep(net, FashionData.train(BATCH), path, view -> {
            INDArray w = view.parameterArray(view.parameters().get(0));
            w.putScalar(3, Double.NaN);
            w.putScalar(5, Double.POSITIVE_INFINITY);
        }).snapshot();

        ParameterStats first = snapshot.parameters().get(0);
        assertThat(first.nonFiniteParameters()).isEqualTo(2);
        assertThat(snapshot.parameters().subList(1, snapshot.parameters().size()))
                .allSatisfy(s -> assertThat(s.nonFiniteParameters()).isZero());
    }

    private static void assertAgrees(GradientSnapshot snapshot, ModelView trained, Map<String, INDArray> rawGradients,
                                     ModelView before) {
        List<ParameterInfo> params = trained.parameters();
        assertThat(snapshot.minibatchSize()).isEqualTo(BATCH);
        assertThat(snapshot.parameters()).hasSize(params.size());
        for (int i = 0; i < params.size(); i++) {
            ParameterInfo p = params.get(i);
            ParameterStats s = snapshot.parameters().get(i);
            INDArray after = trained.parameterArray(p);
            double gradient = Naive.l2(rawGradients.get(p.flatKey())) / BATCH;
            double update = Naive.l2Difference(before.parameterArray(p), after);
            double param = Naive.l2(after);
            assertThat(s.displayName()).isEqualTo(p.displayName());
            assertThat(s.gradientNorm()).as("gradient norm of %s", p.displayName())
                    .isCloseTo(gradient, within(RELATIVE * gradient + 1e-9));
            assertThat(s.updateNorm()).as("update norm of %s", p.displayName())
                    .isCloseTo(update, within(1e-3 * update + 1e-7));
            assertThat(s.parameterNorm()).as("parameter norm of %s", p.displayName())
                    .isCloseTo(param, within(RELATIVE * param + 1e-9));
            assertThat(s.nonFiniteGradients()).isZero();
            assertThat(s.nonFiniteParameters()).isZero();
        }
    }
}
