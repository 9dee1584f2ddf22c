package io.dl4jdebug.measure;

/**
 * Counts host reads: the points where a value computed on the device crosses to the JVM ({@code getDouble},
 * {@code getLong}, {@code toDoubleVector}, a BLAS routine's scalar return). On CUDA each one is a device
 * synchronisation, so the count per measured iteration is what batching reductions saves; {@code bench --profile}
 * reports it per listener and tests pin it per probe call.
 *
 * <p>The count is kept per thread: DL4J runs a network's listeners and layers on the thread that calls {@code fit},
 * so the reads of one training thread are counted exactly without contention. Incrementing is a thread-local
 * increment. Thread safe.
 */
public final class HostReads {

    private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[1]);

    private HostReads() {
    }

    /** Records one host read on the current thread. */
    static void record() {
        COUNT.get()[0]++;
    }

    /** @return host reads made on the current thread since it started (never reset; subtract two readings) */
    public static long count() {
        return COUNT.get()[0];
    }
}
