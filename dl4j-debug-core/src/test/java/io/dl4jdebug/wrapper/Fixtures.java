package io.dl4jdebug.wrapper;

import io.dl4jdebug.testing.FashionData;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Real Fashion-MNIST minibatches and two numerically fragile activations for the wrapper tests. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * @param count number of minibatches
     * @param size  examples per minibatch
     * @return the first count*size training examples as separate minibatches (own arrays)
     */
    static List<DataSet> batches(int count, int size) {
        DataSet all = FashionData.train(count * size);
        List<DataSet> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(new DataSet(all.getFeatures().get(NDArrayIndex.interval(i * size, (i + 1) * size)).dup(),
                    all.getLabels().get(NDArrayIndex.interval(i * size, (i + 1) * size)).dup()));
        }
        return result;
    }

    /**
     * @param batches minibatches
     * @return an iterator handing them out in order, one per iteration
     */
    static DataSetIterator iterator(List<DataSet> batches) {
        return new ExistingDataSetIterator(batches);
    }

    /**
     * @param a first array
     * @param b second array
     * @return true when they hold the same values bit for bit
     */
    static boolean bitIdentical(INDArray a, INDArray b) {
        return Arrays.equals(a.castTo(DataType.DOUBLE).ravel().toDoubleVector(),
                b.castTo(DataType.DOUBLE).ravel().toDoubleVector());
    }

    /**
     * A small residual CNN on 28x28 Fashion-MNIST images: conv-BN-relu stem, a residual block
     * conv-BN-relu-conv-BN added to the stem output, relu, 2x2 max pooling, global average pooling, softmax.
     *
     * @param seed the seed
     * @return the initialised graph
     */
    static ComputationGraph residualCnn(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build(),
                        "in")
                .addLayer("bn0", new BatchNormalization.Builder().build(), "c0")
                .addLayer("a0", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn0")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build(),
                        "a0")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("a1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build(),
                        "a1")
                .addLayer("bn2", new BatchNormalization.Builder().build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a0", "bn2")
                .addLayer("a2", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "a2")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * f(x) = sqrt(max(x, 0)), implemented naively: its derivative 0.5 / sqrt(max(x, 0)) is infinite for x <= 0, so
     * the forward pass stays finite while the backward pass is not (the "sqrt at 0" bug).
     */
    public static final class SqrtOfRelu extends BaseActivationFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public INDArray getActivation(INDArray in, boolean training) {
            Transforms.relu(in, false);
            Transforms.sqrt(in, false);
            return in;
        }

        @Override
        public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
            assertShape(in, epsilon);
            INDArray d = Transforms.sqrt(Transforms.relu(in, true), false).rdivi(0.5);
            return new Pair<>(d.muli(epsilon), null);
        }

        @Override
        public String toString() {
            return "sqrtrelu";
        }
    }

    /** f(x) = ln(x): NaN for x &lt; 0 in the forward pass (the "log of a negative value" bug). */
    public static final class Log extends BaseActivationFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public INDArray getActivation(INDArray in, boolean training) {
            return Transforms.log(in, false);
        }

        @Override
        public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
            assertShape(in, epsilon);
            return new Pair<>(epsilon.div(in), null);
        }

        @Override
        public String toString() {
            return "log";
        }
    }
}
