package io.dl4jdebug.preflight;

import io.dl4jdebug.testing.FashionData;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/** Tiny networks and Fashion-MNIST slices for the preflight tests. */
final class PreflightNets {

    static final int IN = 784;
    static final int CLASSES = 10;

    private PreflightNets() {
    }

    /** A list builder with seed 42, Adam(1e-3) and ReLU init: the healthy defaults. */
    static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3)).weightInit(WeightInit.RELU);
    }

    static DenseLayer dense(String name, int nIn, int nOut) {
        return new DenseLayer.Builder().name(name).nIn(nIn).nOut(nOut).activation(Activation.RELU).build();
    }

    static OutputLayer softmaxOut(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(nIn).nOut(CLASSES)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build();
    }

    /** 784 -> 16 relu -> 10 softmax, named h0 and out. */
    static MultiLayerNetwork healthy() {
        return build(base(), dense("h0", IN, 16), softmaxOut(16));
    }

    /** 784 -> 16 relu -> 10 softmax with an updater on every layer. */
    static MultiLayerNetwork healthy(IUpdater updater) {
        return build(base().updater(updater), dense("h0", IN, 16), softmaxOut(16));
    }

    static MultiLayerNetwork build(NeuralNetConfiguration.Builder builder, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = builder.list();
        for (Layer l : layers) {
            list.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** Examples [from, to) of the cached Fashion-MNIST training subset, pixels in [0, 1]. */
    static DataSet slice(int from, int to) {
        DataSet all = FashionData.train(to);
        return new DataSet(all.getFeatures().get(NDArrayIndex.interval(from, to)).dup(),
                all.getLabels().get(NDArrayIndex.interval(from, to)).dup());
    }

    static DataSetIterator iterator(DataSet data, int batch) {
        List<DataSet> list = data.asList();
        return new ListDataSetIterator<>(list, batch);
    }
}
