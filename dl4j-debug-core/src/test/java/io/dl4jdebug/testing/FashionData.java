package io.dl4jdebug.testing;

import io.dl4jdebug.data.FashionMnist;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

/** Small, cached Fashion-MNIST subsets for tests (real data from Debian's dataset-fashion-mnist). */
public final class FashionData {

    private static DataSet train;

    private FashionData() {
    }

    /**
     * @param n examples (at most 4096)
     * @return the first n training examples, pixels in [0, 1]
     */
    public static synchronized DataSet train(int n) {
        if (train == null) {
            train = FashionMnist.load(FashionMnist.Split.TRAIN, 4096);
        }
        if (n > train.numExamples()) {
            throw new IllegalArgumentException("at most " + train.numExamples() + " examples are cached");
        }
        return new DataSet(train.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n))
                .dup(), train.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup());
    }

    /**
     * @param n     examples (at most 4096)
     * @param batch minibatch size
     * @return an iterator over the first n training examples with raw 0..255 pixels (a common bug)
     */
    public static DataSetIterator rawIterator(int n, int batch) {
        DataSet ds = train(n);
        ds.setFeatures(ds.getFeatures().mul(255));
        return new ListDataSetIterator<>(ds.asList(), batch);
    }

    /**
     * @param n     examples
     * @param batch minibatch size
     * @return an iterator over the first n training examples, in order
     */
    public static DataSetIterator iterator(int n, int batch) {
        List<DataSet> list = train(n).asList();
        return new ListDataSetIterator<>(list, batch);
    }
}
