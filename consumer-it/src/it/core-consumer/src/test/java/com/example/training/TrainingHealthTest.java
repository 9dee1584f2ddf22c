package com.example.training;

import io.dl4jdebug.check.TrainingCheck;
import io.dl4jdebug.check.TrainingResult;
import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example of the README: training health as a JUnit test in the user's own project. */
class TrainingHealthTest {

    static MultiLayerNetwork net(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42).updater(updater).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    static DataSetIterator data() {
        DataSet train = FashionMnist.load(FashionMnist.Split.TRAIN, 512);
        return new ListDataSetIterator<>(train.asList(), 32);
    }

    @Test
    void trainsHealthily() {
        TrainingCheck.of(net(new Adam(1e-3))).data(data()).iterations(48).requireLearning().run().assertHealthy();
    }

    @Test
    void overfitsTwoBatches() {
        TrainingCheck.of(net(new Adam(1e-3))).data(data()).overfitBatches(2).iterations(40).run().assertHealthy();
    }

    @Test
    void wiringWorks() {
        TrainingCheck.of(net(new Adam(1e-3))).data(data()).fastDevRun().run().assertHealthy();
    }

    /** What a failing check looks like: the message names the first incident and its fix. */
    @Test
    void aBrokenNetworkFailsWithTheFix() {
        TrainingResult result = TrainingCheck.of(net(new Adam(5.0))).data(data()).iterations(48).run();
        assertFalse(result.healthy());
        AssertionError failure = assertThrows(AssertionError.class, result::assertHealthy);
        System.out.println("--- the message a failing training-health test shows ---");
        System.out.println(failure.getMessage());
        assertTrue(failure.getMessage().contains("fix: "), failure.getMessage());
    }
}
