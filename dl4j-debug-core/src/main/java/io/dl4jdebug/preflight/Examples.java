package io.dl4jdebug.preflight;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Copies of the first examples of a minibatch (features, labels and both masks), for the procedures that run on a few
 * examples: the minimal example and the gradient check. {@code DataSet.getRange} is not used because it fails on a
 * DataSet without labels. Stateless.
 */
final class Examples {

    private Examples() {
    }

    /**
     * @param data a minibatch
     * @param n    the most examples to keep
     * @param type the data type of the copies, or null to keep each array's own
     * @return detached copies of the first {@code min(n, numExamples)} examples
     */
    static DataSet first(DataSet data, int n, DataType type) {
        int count = Math.min(n, data.numExamples());
        return new DataSet(rows(data.getFeatures(), count, type), rows(data.getLabels(), count, type),
                rows(data.getFeaturesMaskArray(), count, type), rows(data.getLabelsMaskArray(), count, type));
    }

    private static INDArray rows(INDArray a, int n, DataType type) {
        if (a == null) {
            return null;
        }
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(0, n);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        INDArray slice = a.get(index);
        return (type == null ? slice : slice.castTo(type)).dup();
    }
}
