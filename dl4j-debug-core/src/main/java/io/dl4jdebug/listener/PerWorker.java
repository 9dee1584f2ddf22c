package io.dl4jdebug.listener;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A listener's per-network state, one value per DL4J ParallelWrapper worker ({@link Workers#current()}) and one
 * outside ParallelWrapper (the empty worker): ParallelWrapper hands the same listener object to every worker thread.
 * Serializable for Spark: the values are transient and come back empty. Thread safe.
 *
 * @param <T> the state's type
 */
final class PerWorker<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private transient volatile Map<String, T> byWorker;

    /** @return the current worker's value, or null when it has none */
    T get() {
        return map().get(Workers.current());
    }

    /**
     * @param value the current worker's new value
     */
    void put(T value) {
        map().put(Workers.current(), value);
    }

    /**
     * @param initial makes the current worker's first value
     * @return the current worker's value
     */
    T getOrCreate(Supplier<T> initial) {
        return map().computeIfAbsent(Workers.current(), w -> initial.get());
    }

    private Map<String, T> map() {
        Map<String, T> m = byWorker;
        if (m == null) {
            synchronized (this) {
                if (byWorker == null) {
                    byWorker = new ConcurrentHashMap<>();
                }
                m = byWorker;
            }
        }
        return m;
    }
}
