package io.dl4jdebug.measure;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Norm1;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Norm2;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The scalar results of one measurement, gathered so that they cross to the JVM in one {@link HostReads host read}.
 *
 * <p>Every whole-array reduction writes its result into its own slot of a small preallocated vector: floating
 * reductions (mean, L2 norm) into a double vector, counts into a long vector (ND4J's count ops write only long
 * results). {@link #read} copies the counts behind the values on the device and reads the one vector. On a device
 * backend (CUDA) that is the measurement's single synchronisation.
 *
 * <p>On the CPU backend there is no device to synchronise with, and ND4J's own L2 reduction is 5-10x slower than
 * BLAS {@code nrm2} on dense float arrays (about 200 vs 30 microseconds over 200k values), so {@link #l2} there
 * keeps BLAS and writes its result straight into the host copy ({@link Path#HOST_BLAS}). The other reductions take
 * the device path on both backends. A batch counts exactly one read whatever the path; tests run the
 * {@link Path#DEVICE} path on the CPU to check what CUDA runs.
 *
 * <p>The vectors are allocated outside DL4J's workspaces (the caller's scope), once, and reused by every
 * measurement; {@link #close} frees a measurement's temporaries. Not thread safe: one batch per probe (or per thread).
 */
final class ScalarBatch implements AutoCloseable {

    /** How L2 norms of dense float arrays are computed. */
    enum Path {
        /** ND4J reductions into the vector's slots: one synchronisation per batch on a device backend. */
        DEVICE,
        /** BLAS {@code nrm2} on the calling thread, for the CPU backend where it is the fastest reduction. */
        HOST_BLAS;

        /** @return {@link #HOST_BLAS} on the CPU backend, {@link #DEVICE} otherwise */
        static Path forBackend() {
            return Nd4j.getEnvironment().isCPU() ? HOST_BLAS : DEVICE;
        }
    }

    private final Path path;
    private final int valueSlots;
    private final int countSlots;
    /** The device vectors and their one-element views, made once and reused by every measurement. */
    private INDArray values;
    private INDArray counts;
    private INDArray countTail;
    private final INDArray[] valueViews;
    private final INDArray[] countViews;
    /** Per measurement: where each slot's value is (0: not written, DEVICE_SLOT, HOST_SLOT). */
    private final byte[] written;
    private final double[] host;
    private boolean anyDevice;
    private boolean anyCount;
    private final List<INDArray> temporaries = new ArrayList<>();

    private static final byte DEVICE_SLOT = 1;
    private static final byte HOST_SLOT = 2;

    /**
     * A batch for repeated measurements of the same shape: the vectors and slot views are made on first use and
     * kept (a view costs about 10 microseconds to make on the CPU backend, more than a small reduction); each
     * measurement is {@link #start} ... {@link #read} ... {@link #close}.
     *
     * @param path       how L2 norms are computed
     * @param valueSlots number of floating results
     * @param countSlots number of counts
     */
    ScalarBatch(Path path, int valueSlots, int countSlots) {
        this.path = path;
        this.valueSlots = valueSlots;
        this.countSlots = countSlots;
        this.valueViews = new INDArray[valueSlots];
        this.countViews = new INDArray[countSlots];
        this.written = new byte[valueSlots + countSlots];
        this.host = new double[valueSlots + countSlots];
    }

    /** Each thread's batches, by path and by (value slots, count slots): reused so their views are made once. */
    private static final ThreadLocal<Map<Long, ScalarBatch>[]> FOR_THREAD = ThreadLocal.withInitial(() -> {
        @SuppressWarnings("unchecked")
        Map<Long, ScalarBatch>[] byPath = new Map[Path.values().length];
        for (int i = 0; i < byPath.length; i++) {
            byPath[i] = new HashMap<>();
        }
        return byPath;
    });

    /**
     * The current thread's batch of this shape, made on first use (outside DL4J's workspaces when the caller's scope
     * is) and reused by every later measurement on the thread: the probes' shared cache.
     *
     * @param path       how L2 norms are computed
     * @param valueSlots number of floating results
     * @param countSlots number of counts
     * @return the thread's batch
     */
    static ScalarBatch forThread(Path path, int valueSlots, int countSlots) {
        long key = ((long) valueSlots << 32) | countSlots;
        return FOR_THREAD.get()[path.ordinal()].computeIfAbsent(key, k -> new ScalarBatch(path, valueSlots,
                countSlots));
    }

    /** @return the path this batch reduces L2 norms on */
    Path path() {
        return path;
    }

    /**
     * Starts a measurement: every slot unwritten (reads 0).
     *
     * @return this batch
     */
    ScalarBatch start() {
        java.util.Arrays.fill(written, (byte) 0);
        anyDevice = false;
        anyCount = false;
        return this;
    }

    /**
     * The L2 norm of an array into a value slot.
     *
     * @param slot  the value slot
     * @param array a non-empty array
     */
    void l2(int slot, INDArray array) {
        if (path == Path.HOST_BLAS) {
            OptionalDouble blas = DenseReductions.blasL2(array);
            if (blas.isPresent()) {
                host[slot] = blas.getAsDouble();
                written[slot] = HOST_SLOT;
                return;
            }
        }
        value(slot, new Norm2(array));
    }

    /**
     * The sum of absolute values of an array (finite exactly when every value is, barring overflow) into a value
     * slot.
     *
     * @param slot  the value slot
     * @param array a non-empty array
     */
    void l1(int slot, INDArray array) {
        if (path == Path.HOST_BLAS) {
            OptionalDouble blas = DenseReductions.blasL1(array);
            if (blas.isPresent()) {
                host[slot] = blas.getAsDouble();
                written[slot] = HOST_SLOT;
                return;
            }
        }
        value(slot, new Norm1(array));
    }

    /**
     * Runs a whole-array floating reduction (mean, norm, ...) into a value slot.
     *
     * @param slot the value slot
     * @param op   the reduction, without an output array
     */
    void value(int slot, ReduceOp op) {
        if (values == null) {
            values = Nd4j.create(DataType.DOUBLE, valueSlots + countSlots);
        }
        if (valueViews[slot] == null) {
            valueViews[slot] = values.getScalar(slot);
        }
        op.setZ(valueViews[slot]);
        Nd4j.getExecutioner().exec(op);
        written[slot] = DEVICE_SLOT;
        anyDevice = true;
    }

    /**
     * Runs a whole-array count (ND4J's long reductions: {@code MatchCondition}, {@code CountZero}) into a count
     * slot.
     *
     * @param slot the count slot (0-based among the counts)
     * @param op   the count, without an output array
     */
    void count(int slot, ReduceOp op) {
        if (counts == null) {
            counts = Nd4j.create(DataType.LONG, countSlots);
        }
        if (countViews[slot] == null) {
            countViews[slot] = counts.getScalar(slot);
        }
        op.setZ(countViews[slot]);
        Nd4j.getExecutioner().exec(op);
        written[valueSlots + slot] = DEVICE_SLOT;
        anyDevice = true;
        anyCount = true;
    }

    /**
     * Keeps an array that a queued reduction reads until the batch is closed, after its read (freeing it earlier
     * could wait for the device).
     *
     * @param array a temporary the caller allocated
     * @return the array
     */
    INDArray temporary(INDArray array) {
        for (INDArray t : temporaries) {
            if (t == array) {
                return array;
            }
        }
        temporaries.add(array);
        return array;
    }

    /**
     * Reads every slot to the JVM at once: one host read.
     *
     * @return the value slots, then the count slots (slots not written in this measurement are 0)
     */
    double[] read() {
        HostReads.record();
        double[] result = new double[valueSlots + countSlots];
        double[] device = null;
        if (anyDevice) {
            if (values == null) {
                values = Nd4j.create(DataType.DOUBLE, valueSlots + countSlots);
            }
            if (anyCount) {
                if (countTail == null) {
                    countTail = values.get(NDArrayIndex.interval(valueSlots, valueSlots + countSlots));
                }
                countTail.assign(counts);
            }
            device = values.toDoubleVector();
        }
        for (int i = 0; i < result.length; i++) {
            if (written[i] == HOST_SLOT) {
                result[i] = host[i];
            } else if (written[i] == DEVICE_SLOT) {
                result[i] = device[i];
            }
        }
        return result;
    }

    /** Ends the measurement: frees its temporaries (the vectors stay for the next one). */
    @Override
    public void close() {
        for (INDArray t : temporaries) {
            t.close();
        }
        temporaries.clear();
    }
}
