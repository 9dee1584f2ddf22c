package io.dl4jdebug.spark.demo;

import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The demo's network (the same ReLU MLP as {@code ./dl4j-debug demo}) and training master. */
final class DemoNetworks {

    private DemoNetworks() {
    }

    /**
     * @param updater the updater (Adam(1e-3) healthy, Sgd(1e4) diverging)
     * @return a seeded ReLU MLP 784-128-64-10 (dense1, dense2, output)
     */
    static MultiLayerNetwork mlp(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("dense1").nOut(128).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense2").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        net.init();
        return net;
    }

    /**
     * @param workers    workers (Spark tasks) per averaging round
     * @param batch      minibatch size per worker (and of each DataSet in the RDD)
     * @param averaging  minibatches each worker fits between two averagings
     * @return the parameter averaging master of the demo
     */
    static ParameterAveragingTrainingMaster master(int workers, int batch, int averaging) {
        return new ParameterAveragingTrainingMaster.Builder(workers, batch).batchSizePerWorker(batch)
                .averagingFrequency(averaging).workerPrefetchNumBatches(0).saveUpdater(true).rngSeed(42).build();
    }
}
