package io.dl4jdebug.measure;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Finds NaN and infinite values with device reductions that return one scalar.
 *
 * <p>The cheap test is a single sum: a finite sum proves every value finite. Only when the sum is not finite (a NaN,
 * an infinity, or finite values that overflowed) does {@link #count(INDArray)} make an exact count. For float and
 * double arrays stored contiguously (network inputs, layer outputs, the flattened parameters and gradients; also
 * permuted views that cover their whole buffer, such as DL4J's convolution outputs) the sum
 * is BLAS {@code asum} (the sum of absolute values, vectorised; NaN and infinities propagate through it;
 * {@link DenseReductions#l1}): on the CPU backend it is about ten times faster than ND4J's own sum reduction. Other
 * arrays use ND4J's norm1. Stateless and thread safe.
 */
public final class NonFiniteProbe {

    private NonFiniteProbe() {
    }

    /**
     * One reduction; exact count only when the sum is not finite.
     *
     * @param array any array
     * @return true when every value is finite
     */
    public static boolean allFinite(INDArray array) {
        return countAfterSum(array) == 0;
    }

    /**
     * One reduction when every value is finite; the exact count (one more) only when the sum is not finite.
     *
     * @param array any array
     * @return the number of NaN or infinite values
     */
    public static long countAfterSum(INDArray array) {
        if (array == null || array.isEmpty()) {
            return 0;
        }
        return countIfSuspicious(array, DenseReductions.l1(array));
    }

    /**
     * {@link #countAfterSum} for two arrays with one host read: both sums go into one {@link ScalarBatch}; an exact
     * count (one more read each) runs only for an array whose sum is not finite.
     *
     * @param first  any array, or null
     * @param second any array, or null
     * @return the numbers of NaN or infinite values in each (0 for null or empty arrays)
     */
    public static long[] countAfterSums(INDArray first, INDArray second) {
        return countAfterSums(ScalarBatch.Path.forBackend(), first, second);
    }

    /** {@link #countAfterSums(INDArray, INDArray)} on a given path (tests run the device path on the CPU). */
    static long[] countAfterSums(ScalarBatch.Path path, INDArray first, INDArray second) {
        boolean hasFirst = first != null && !first.isEmpty();
        boolean hasSecond = second != null && !second.isEmpty();
        if (!hasFirst && !hasSecond) {
            return new long[2];
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             ScalarBatch batch = batch(path).start()) {
            if (hasFirst) {
                batch.l1(0, first);
            }
            if (hasSecond) {
                batch.l1(1, second);
            }
            double[] sums = batch.read();
            return new long[] {hasFirst ? countIfSuspicious(first, sums[0]) : 0,
                    hasSecond ? countIfSuspicious(second, sums[1]) : 0};
        }
    }

    /** Each thread's two-slot batches, one per path. */
    private static final ThreadLocal<ScalarBatch[]> BATCHES =
            ThreadLocal.withInitial(() -> new ScalarBatch[ScalarBatch.Path.values().length]);

    private static ScalarBatch batch(ScalarBatch.Path path) {
        ScalarBatch[] batches = BATCHES.get();
        if (batches[path.ordinal()] == null) {
            batches[path.ordinal()] = new ScalarBatch(path, 2, 0);
        }
        return batches[path.ordinal()];
    }

    /**
     * Counts NaN and infinite values exactly, in one reduction.
     *
     * @param array any array
     * @return the number of NaN or infinite values
     */
    public static long count(INDArray array) {
        if (array == null || array.isEmpty()) {
            return 0;
        }
        // MatchCondition misses NaN in half-precision arrays (1.0.0-M2.1, CPU): count those on a float copy (this
        // path runs only after a cheap test came out non-finite).
        INDArray counted = array.dataType() == DataType.HALF || array.dataType() == DataType.BFLOAT16
                ? array.castTo(DataType.FLOAT) : array;
        HostReads.record();
        return Nd4j.getExecutioner().exec(new MatchCondition(counted, Conditions.notFinite())).getLong(0);
    }

    /**
     * Counts non-finite values only when a statistic computed anyway (a norm or a sum of the same array) is not
     * finite; otherwise the array is known to be finite and no reduction is run.
     *
     * @param array            the array the statistic was computed from
     * @param statisticOfArray a sum or L2 norm of that array
     * @return the number of NaN or infinite values
     */
    public static long countIfSuspicious(INDArray array, double statisticOfArray) {
        return Double.isFinite(statisticOfArray) ? 0 : count(array);
    }
}
