package io.dl4jdebug.measure;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

import java.util.List;

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
     * Checks many arrays with one host read: one sum per array, all written into one {@link ScalarBatch}; an exact
     * count (one more read) runs only for an array whose sum is not finite, in list order, until one really holds a
     * non-finite value. The forward-pass check of a whole network (its inputs and every layer's output) is one read
     * this way, not one per array.
     *
     * @param arrays arrays in the order to blame them (nulls and empty arrays are skipped)
     * @return the index of the first array holding a NaN or infinite value, or -1 when all are finite
     */
    public static int firstNonFinite(List<INDArray> arrays) {
        return firstNonFinite(ScalarBatch.Path.forBackend(), arrays);
    }

    /** {@link #firstNonFinite(List)} on a given path (tests run the device path on the CPU). */
    static int firstNonFinite(ScalarBatch.Path path, List<INDArray> arrays) {
        int n = arrays.size();
        boolean any = false;
        for (INDArray a : arrays) {
            any |= a != null && !a.isEmpty();
        }
        if (!any) {
            return -1;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             ScalarBatch batch = ScalarBatch.forThread(path, n, 0).start()) {
            for (int i = 0; i < n; i++) {
                INDArray a = arrays.get(i);
                if (a != null && !a.isEmpty()) {
                    batch.l1(i, a);
                }
            }
            double[] sums = batch.read();
            for (int i = 0; i < n; i++) {
                INDArray a = arrays.get(i);
                if (a != null && !a.isEmpty() && countIfSuspicious(a, sums[i]) > 0) {
                    return i;
                }
            }
            return -1;
        }
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
