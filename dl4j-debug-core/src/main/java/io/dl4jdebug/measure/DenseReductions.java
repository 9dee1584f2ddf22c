package io.dl4jdebug.measure;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Whole-array L1 and L2 norms through BLAS ({@code asum}, {@code nrm2}) when the values lie densely in memory: float
 * or double arrays with element-wise stride 1 (layer outputs, inputs, the flattened parameters and gradients and
 * their per-parameter views), or permuted views that cover their whole buffer (DL4J's convolution outputs). On the
 * CPU backend these are 5-10x faster than ND4J's {@code sumNumber()}/{@code norm2Number()} reductions; NaN and
 * infinities propagate through both. Other arrays (strided views, half precision) use ND4J's reductions. Only a
 * scalar reaches the JVM: one {@link HostReads host read} per call. Stateless and thread safe.
 */
public final class DenseReductions {

    private DenseReductions() {
    }

    /**
     * @param array any non-empty array
     * @return the sum of absolute values (finite exactly when every value is finite, barring overflow)
     */
    public static double l1(INDArray array) {
        HostReads.record();
        if (array.length() == 1) {
            return Math.abs(array.getDouble(0));
        }
        OptionalDouble blas = blasL1(array);
        return blas.isPresent() ? blas.getAsDouble() : array.norm1Number().doubleValue();
    }

    /**
     * @param array any non-empty array
     * @return the L2 norm over every value
     */
    public static double l2(INDArray array) {
        HostReads.record();
        if (array.length() == 1) {
            return Math.abs(array.getDouble(0));
        }
        OptionalDouble blas = blasL2(array);
        return blas.isPresent() ? blas.getAsDouble() : array.norm2Number().doubleValue();
    }

    /**
     * BLAS {@code asum} where the array is float/double and dense; like {@link #blasL2}, not counted as a host read
     * here.
     *
     * @param array any non-empty array
     * @return the sum of absolute values, or empty when the array is not dense float/double
     */
    static OptionalDouble blasL1(INDArray array) {
        Optional<INDArray> dense = denseVector(array);
        return dense.isPresent() ? OptionalDouble.of(Nd4j.getBlasWrapper().level1().asum(dense.get()))
                : OptionalDouble.empty();
    }

    /**
     * BLAS {@code nrm2} where the array is float/double and dense; on the CPU backend it runs on the calling thread
     * (no device to synchronise with), so it is not counted as a host read here: the caller counts the read of the
     * measurement it belongs to.
     *
     * @param array any non-empty array
     * @return the L2 norm, or empty when the array is not dense float/double
     */
    static OptionalDouble blasL2(INDArray array) {
        Optional<INDArray> dense = denseVector(array);
        return dense.isPresent() ? OptionalDouble.of(Nd4j.getBlasWrapper().level1().nrm2(dense.get()))
                : OptionalDouble.empty();
    }

    /**
     * The same values laid out densely, for whole-array reductions whose result does not depend on the order of the
     * values (counts, sums, norms): ND4J's reductions over a permuted view walk it element by element, several times
     * slower than over a dense buffer.
     *
     * @param array any array
     * @return the array itself when its values lie at stride 1, a rank-1 array over the whole buffer of a permuted
     *         view that covers it, or the array itself otherwise
     */
    public static INDArray orderFree(INDArray array) {
        if (array.elementWiseStride() == 1) {
            return array;
        }
        if (array.offset() == 0 && array.data().length() == array.length()) {
            return Nd4j.create(array.data(), new long[] {array.length()});
        }
        return array;
    }

    /**
     * @return an array whose {@code length()} values lie at stride 1 from its offset, when the array is float/double
     *         and dense: the array itself (BLAS level 1 reads {@code length()} values at the element-wise stride, at
     *         any rank; a rank-1 reshape would cost more than the reduction on small arrays), or a rank-1 array
     *         over the whole buffer of a permuted view
     */
    private static Optional<INDArray> denseVector(INDArray array) {
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            return Optional.empty();
        }
        INDArray dense = orderFree(array);
        return dense.elementWiseStride() == 1 ? Optional.of(dense) : Optional.empty();
    }
}
