package io.dl4jdebug.wrapper;

import io.dl4jdebug.testing.FashionData;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
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
