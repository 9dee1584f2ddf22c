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
        return master(workers, batch, averaging, false);
    }

    /**
     * @param workers    workers per averaging round
     * @param batch      minibatch size per worker
     * @param averaging  minibatches each worker fits between two averagings
     * @param direct     the Direct training approach: for executors in their own JVMs without a shared default file
     *                   system (DL4J's default, Export, writes the minibatches there and refuses the local one
     *                   outside local mode)
     * @return the parameter averaging master of the demo
     */
    static ParameterAveragingTrainingMaster master(int workers, int batch, int averaging, boolean direct) {
        ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(workers, batch)
                .batchSizePerWorker(batch).averagingFrequency(averaging).workerPrefetchNumBatches(0)
                .saveUpdater(true).rngSeed(42);
        if (direct) {
            // Direct persists the training RDD at the master's storage level: the demo's is cached (MEMORY_ONLY)
            // already, and Spark refuses to change an RDD's level
            b.rddTrainingApproach(org.deeplearning4j.spark.api.RDDTrainingApproach.Direct)
                    .storageLevel(org.apache.spark.storage.StorageLevel.MEMORY_ONLY());
        }
        return b.build();
    }
}
