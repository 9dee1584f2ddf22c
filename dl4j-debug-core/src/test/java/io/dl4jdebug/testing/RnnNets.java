package io.dl4jdebug.testing;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.SumTask;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/** Small recurrent networks and sequence data for tests: LSTMs on the generated sum task and Fashion-MNIST rows. */
public final class RnnNets {

    private RnnNets() {
    }

    /**
     * LSTM "lstm" (1 -> hidden, tanh) then RnnOutputLayer "out" (identity, MSE): the per-step sum task.
     *
     * @param seed    seed
     * @param hidden  LSTM units
     * @param updater updater
     * @param tbptt   truncated BPTT length (0: standard backprop)
     * @return the initialised network
     */
    public static MultiLayerNetwork sum(long seed, int hidden, IUpdater updater, int tbptt) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().name("lstm").nIn(1).nOut(hidden).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(hidden).nOut(1)
                        .activation(Activation.IDENTITY).build());
        if (tbptt > 0) {
            b.backpropType(BackpropType.TruncatedBPTT).tBPTTLength(tbptt);
        }
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * The per-step sum LSTM with weights drawn from N(0, std) (0.7 is far too large for 32 units: the gradient
     * through 100 steps explodes) and plain SGD.
     *
     * @param seed  seed
     * @param std   standard deviation of the initial weights
     * @param sgd   SGD learning rate
     * @return the initialised network ("lstm" 1 -> 32, "out")
     */
    public static MultiLayerNetwork sumWithInit(long seed, double std, double sgd) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new org.nd4j.linalg.learning.config.Sgd(sgd))
                .weightInit(new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, std)).list()
                .layer(new LSTM.Builder().name("lstm").nIn(1).nOut(32).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(32).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The per-step sum network as a ComputationGraph: input "in", LSTM "lstm", RnnOutputLayer "out". */
    public static ComputationGraph sumGraph(long seed, int hidden, IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(1).nOut(hidden).activation(Activation.TANH).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(hidden).nOut(1)
                        .activation(Activation.IDENTITY).build(), "lstm")
                .setOutputs("out").setInputTypes(InputType.recurrent(1)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /**
     * Fashion-MNIST as 28 steps of 28 pixels: LastTimeStep(LSTM "lstm", 28 -> hidden) then softmax "out".
     *
     * @param seed   seed
     * @param hidden LSTM units
     * @return the initialised network
     */
    public static MultiLayerNetwork fashion(long seed, int hidden) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(5e-3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new LastTimeStep(new LSTM.Builder().name("lstm").nIn(FashionMnist.COLUMNS).nOut(hidden)
                        .activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(hidden)
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * @param examples  sequences
     * @param minLength shortest sequence
     * @param maxLength padded length
     * @param batch     minibatch size
     * @return the per-step sum task with masks, in minibatches
     */
    public static DataSetIterator sumIterator(int examples, int minLength, int maxLength, int batch) {
        DataSet all = SumTask.perStep(examples, minLength, maxLength, 7);
        List<DataSet> list = all.batchBy(batch);
        return new ExistingDataSetIterator(list);
    }

    /**
     * @param n     Fashion-MNIST training images (scaled to [0, 1])
     * @param batch minibatch size
     * @return them as 28-step sequences
     */
    public static DataSetIterator fashionSequences(int n, int batch) {
        DataSet seq = FashionMnist.asSequences(FashionData.train(n));
        return new ExistingDataSetIterator(seq.batchBy(batch));
    }
}
