package io.dl4jdebug.listener;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A {@link DataSetIterator} that reports no more data once a stop signal is raised, so that {@code fit} ends
 * cleanly. It declares itself not async-capable: DL4J's prefetching wrapper would otherwise hand out batches read
 * before the signal. Not thread safe.
 */
public final class StoppableDataSetIterator implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final DataSetIterator delegate;
    private final BooleanSupplier stop;

    /**
     * @param delegate the iterator to read from
     * @param stop     true once training should end
     */
    public StoppableDataSetIterator(DataSetIterator delegate, BooleanSupplier stop) {
        this.delegate = Objects.requireNonNull(delegate, "iterator must not be null");
        this.stop = Objects.requireNonNull(stop, "stop must not be null");
    }

    @Override
    public boolean hasNext() {
        return !stop.getAsBoolean() && delegate.hasNext();
    }

    @Override
    public DataSet next() {
        return delegate.next();
    }

    @Override
    public DataSet next(int num) {
        return delegate.next(num);
    }

    @Override
    public int inputColumns() {
        return delegate.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return delegate.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return delegate.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public int batch() {
        return delegate.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        delegate.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return delegate.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return delegate.getLabels();
    }
}
