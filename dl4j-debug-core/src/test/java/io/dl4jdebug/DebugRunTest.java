package io.dl4jdebug;

import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.testing.FashionData;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one pipeline: checklist, training with the suite, diagnosis, fix trials, the verified diagnosis published. */
class DebugRunTest {

    private static MultiLayerNetwork mlp(IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).updater(updater)
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("h").nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(32).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void aHealthyNetworkTrainsTheIterationsAskedAndGetsNoLoudIncident() {
        List<String> stages = new ArrayList<>();
        DebugRun.Result r = DebugRun.on(mlp(new Adam(1e-3))).train(FashionData.iterator(512, 32)).iterations(40)
                .verify(VerifyBudget.ofIterations(10)).observer(new DebugRun.Observer() {
                    @Override
                    public void checklistDone(io.dl4jdebug.preflight.ChecklistReport checklist) {
                        stages.add("checklist");
                    }

                    @Override
                    public void epochDone(int epoch) {
                        stages.add("epoch " + epoch);
                    }

                    @Override
                    public void trainingDone(io.dl4jdebug.listener.DebugSuite suite, long iterations, double s) {
                        stages.add("trained " + iterations);
                    }
                }).build().run();

        assertThat(r.iterations()).isEqualTo(40);
        assertThat(r.checklist().items()).isNotEmpty();
        assertThat(r.diagnosis().loud()).isEmpty();
        assertThat(r.verifySeconds()).isZero();
        assertThat(stages).containsExactly("checklist", "epoch 0", "epoch 1", "epoch 2", "trained 40");
    }

    @Test
    void aDivergingNetworkGetsItsFixesTriedAndTheVerifiedDiagnosisReachesTheReport(@org.junit.jupiter.api.io.TempDir
                                                                              Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        DebugRun.Result r = DebugRun.on(mlp(new Sgd(1e4))).train(FashionData.iterator(512, 32)).epochs(3)
                .verify(VerifyBudget.ofIterations(10)).suite(b -> b.report(report)).build().run();

        assertThat(r.iterations()).isEqualTo(48);
        assertThat(r.diagnosis().loud()).isNotEmpty();
        assertThat(r.diagnosis().incidents()).anyMatch(i -> i.verified().isPresent());
        assertThat(Files.readString(report)).contains("\"verification\"");
    }

    @Test
    void trainingDataIsRequired() {
        assertThatThrownBy(() -> DebugRun.on(mlp(new Adam(1e-3))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("train(DataSetIterator)");
    }
}
