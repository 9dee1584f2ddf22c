package io.dl4jdebug.cli.diagnose;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

import java.util.List;

/**
 * Iterates over ready-made minibatches, one per {@code next()}, each a copy of the stored one. ND4J's
 * {@code ListDataSetIterator} passes even a single minibatch through {@code DataSet.merge}, which takes 3-D features
 * for NCW sequences and fails on NWC ones with masks (the layout of imported Keras recurrent layers); this iterator
 * does not merge.
 */
final class MinibatchListIterator extends ListDataSetIterator<DataSet> {

    private static final long serialVersionUID = 1L;

    private final List<DataSet> batches;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /** @param batches the minibatches, in order */
    MinibatchListIterator(List<DataSet> batches) {
        super(batches, 1);
        this.batches = batches;
    }

    @Override
    public DataSet next(int num) {
        if (num != 1) {
            throw new UnsupportedOperationException("minibatches are ready-made: next() returns one, next(" + num
                    + ") is not supported");
        }
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        DataSet d = batches.get(cursor++).copy();
        if (getPreProcessor() != null) {
            getPreProcessor().preProcess(d);
            d.markAsPreProcessed();
        }
        return d;
    }

    @Override
    public DataSet next() {
        return next(1);
    }

    @Override
    public boolean hasNext() {
        return cursor < batches.size();
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        super.setPreProcessor(preProcessor);
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }
}
