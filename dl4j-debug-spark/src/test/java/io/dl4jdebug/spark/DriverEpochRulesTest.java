package io.dl4jdebug.spark;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The epoch-level rules run at the driver, between {@code fit} calls, from the workers' averaged training loss and the
 * validation loss of the averaged network: a 784-256-10 MLP trained on 128 examples memorises them (OVERFITTING, as
 * the gallery's overfitting sample without Spark). The healthy twin is SparkDebugLocalModeTest's healthy run, which
 * ends its epochs the same way and stays silent.
 */
class DriverEpochRulesTest {

    @Test
    void tinyTrainingSetOverfitsAtTheDriver() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("dense1").nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        net.init();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SparkTesting.context(), net, SparkTesting.master());
        DataSet valid = FashionMnist.load(FashionMnist.Split.TEST, 512);
        var train = SparkTesting.train(128).cache();
        try (SparkDebugSession debug = SparkDebug.attach(spark, new InMemoryStatsStorage(), SparkDebugOptions
                .builder().validation(new ListDataSetIterator<>(valid.batchBy(256), 256)).workerLogging(false)
                .build())) {
            FittingStatus status = FittingStatus.KEEP_WATCHING;
            int epochs = 0;
            while (epochs < 40 && debug.driverFindings().stream().noneMatch(f -> f.symptom() == Symptom.OVERFITTING)) {
                spark.fit(train);
                status = debug.endEpoch();
                epochs++;
            }
            System.out.println("overfitting after " + epochs + " epochs: " + status + " " + debug.driverFindings());
            assertThat(debug.driverFindings()).extracting(f -> f.symptom()).contains(Symptom.OVERFITTING);
            assertThat(debug.diagnosis().first().orElseThrow().symptom()).isEqualTo(Symptom.OVERFITTING);
            assertThat(debug.driverFindings()).allSatisfy(f -> assertThat(f.worker()).isEmpty());
        }
    }
}
