package io.dl4jdebug.cli.diagnose;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The test's Keras 2.x .h5 writer: DL4J's own KerasModelImport reads its files back with the weights written. */
class KerasH5WriterTest {

    @TempDir
    Path dir;

    @Test
    void sequentialMlpWithTrainingConfigImportsWithItsWeightsAndLayerNames() throws Exception {
        INDArray kernel = Nd4j.rand(DataType.FLOAT, 6, 5).subi(0.5);
        INDArray bias = Nd4j.linspace(DataType.FLOAT, 0.1, 0.1, 5);
        INDArray outKernel = Nd4j.rand(DataType.FLOAT, 5, 3).subi(0.5);
        INDArray outBias = Nd4j.createFromArray(0.01f, -0.02f, 0.03f);
        Path file = dir.resolve("mlp.h5");
        new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Dense", "hidden", KerasConfigs.dense(5, "relu", 6), null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(3, "softmax", 0), null))))
                .training(KerasConfigs.adamTraining("categorical_crossentropy", 1e-3))
                .weight("hidden", "kernel", kernel).weight("hidden", "bias", bias)
                .weight("probs", "kernel", outKernel).weight("probs", "bias", outBias)
                .write(file);

        MultiLayerNetwork net = KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), true);

        assertThat(net.getLayer("hidden").getParam("W").castTo(DataType.FLOAT)).isEqualTo(kernel);
        assertThat(net.getLayer("hidden").getParam("b").castTo(DataType.FLOAT).reshape(5)).isEqualTo(bias);
        assertThat(net.getLayer("probs").getParam("W").castTo(DataType.FLOAT)).isEqualTo(outKernel);
        assertThat(net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer().getLayerName())
                .isEqualTo("probs_loss");
    }

    @Test
    void functionalModelWithoutTrainingConfigImportsWithItsWeights() throws Exception {
        INDArray kernel = Nd4j.rand(DataType.FLOAT, 4, 3).subi(0.5);
        Path file = dir.resolve("functional.h5");
        new KerasH5Writer("2.4.0", KerasConfigs.functional("Functional", "model", List.of(
                KerasConfigs.layer("InputLayer", "features", KerasConfigs.inputLayer(4), ""),
                KerasConfigs.layer("Dense", "scores", KerasConfigs.dense(3, "softmax", 0), "features")),
                "features", "scores"))
                .weight("scores", "kernel", kernel).weight("scores", "bias", Nd4j.zeros(DataType.FLOAT, 3))
                .write(file);

        ComputationGraph graph = KerasModelImport.importKerasModelAndWeights(file.toString(), false);

        assertThat(graph.getLayer("scores").getParam("W").castTo(DataType.FLOAT)).isEqualTo(kernel);
    }
}
