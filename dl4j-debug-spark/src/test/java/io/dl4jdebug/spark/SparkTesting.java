package io.dl4jdebug.spark;

import io.dl4jdebug.data.FashionMnist;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/** The module's tests share one Spark context in local mode (local[2], loopback only, no Spark UI). */
final class SparkTesting {

    static final int BATCH = 32;
    static final int AVERAGING = 5;

    private static JavaSparkContext context;

    private SparkTesting() {
    }

    /** @return the JVM's one local[2] Spark context, started on first use (again after {@link #stopLocal()}) */
    static synchronized JavaSparkContext context() {
        if (context == null || context.sc().isStopped()) {
            context = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("dl4j-debug-spark-test")
                    .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.enabled", "false"));
            JavaSparkContext started = context;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return context;
    }

    /** Stops the local[2] context, if running: a JVM runs one Spark context at a time (LoopbackCluster's). */
    static synchronized void stopLocal() {
        if (context != null) {
            context.stop();
            context = null;
        }
    }

    /**
     * @param examples how many training examples
     * @return Fashion-MNIST training minibatches of {@link #BATCH}, as an RDD of 2 partitions
     */
    static JavaRDD<DataSet> train(int examples) {
        List<DataSet> batches = FashionMnist.load(FashionMnist.Split.TRAIN, examples).batchBy(BATCH);
        return context().parallelize(batches, 2);
    }

    /** @return a parameter averaging master: 2 workers, {@link #BATCH} per worker, averaging every 5 minibatches */
    static ParameterAveragingTrainingMaster master() {
        return new ParameterAveragingTrainingMaster.Builder(2, BATCH).batchSizePerWorker(BATCH)
                .averagingFrequency(AVERAGING).workerPrefetchNumBatches(0).saveUpdater(true).rngSeed(42).build();
    }

    /**
     * @return 12 sigmoid layers of 64 units (Xavier), Adam(1e-3): the gradient vanishes before dense1
     */
    static MultiLayerNetwork deepSigmoid() {
        var list = new NeuralNetConfiguration.Builder().seed(42).updater(new org.nd4j.linalg.learning.config.Adam(1e-3))
                .weightInit(WeightInit.XAVIER).list();
        for (int i = 1; i <= 12; i++) {
            list.layer(new DenseLayer.Builder().name("dense" + i).nOut(64).activation(Activation.SIGMOID).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(InputType.feedForward(FashionMnist.PIXELS))
                .build());
        net.init();
        return net;
    }

    /**
     * @param updater the updater
     * @return the same ReLU MLP as a ComputationGraph (input "in")
     */
    static org.deeplearning4j.nn.graph.ComputationGraph graph(IUpdater updater) {
        var conf = new NeuralNetConfiguration.Builder().seed(42).updater(updater).weightInit(WeightInit.RELU)
                .graphBuilder().addInputs("in")
                .addLayer("dense1", new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(), "in")
                .addLayer("dense2", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "dense1")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build(), "dense2")
                .setOutputs("output").setInputTypes(InputType.feedForward(FashionMnist.PIXELS)).build();
        var net = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        net.init();
        return net;
    }

    /**
     * @param updater the updater
     * @return a ReLU MLP 784-64-32-10 (dense1, dense2, output), seeded
     */
    static MultiLayerNetwork mlp(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("dense1").nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense2").nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        net.init();
        return net;
    }
}
