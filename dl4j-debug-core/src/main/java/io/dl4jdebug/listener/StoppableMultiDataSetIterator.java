package io.dl4jdebug.listener;

import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A {@link MultiDataSetIterator} that reports no more data once a stop signal is raised, so that
 * {@code ComputationGraph.fit} ends cleanly. Not async-capable, for the reason given in
 * {@link StoppableDataSetIterator}. Not thread safe.
 */
public final class StoppableMultiDataSetIterator implements MultiDataSetIterator {

    private static final long serialVersionUID = 1L;

    private final MultiDataSetIterator delegate;
    private final BooleanSupplier stop;

    /**
     * @param delegate the iterator to read from
     * @param stop     true once training should end
     */
    public StoppableMultiDataSetIterator(MultiDataSetIterator delegate, BooleanSupplier stop) {
        this.delegate = Objects.requireNonNull(delegate, "iterator must not be null");
        this.stop = Objects.requireNonNull(stop, "stop must not be null");
    }

    @Override
    public boolean hasNext() {
        return !stop.getAsBoolean() && delegate.hasNext();
    }

    @Override
    public MultiDataSet next() {
        return delegate.next();
    }

    @Override
    public MultiDataSet next(int num) {
        return delegate.next(num);
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        delegate.setPreProcessor(preProcessor);
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return delegate.getPreProcessor();
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
}
