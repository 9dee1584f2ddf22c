package io.dl4jdebug.measure;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** BLAS-backed norms agree with a naive element-by-element reference on every layout they accept or refuse. */
class DenseReductionsTest {

    @Test
    void normsAgreeWithNaiveReferenceOnEveryLayout() {
        Nd4j.getRandom().setSeed(11);
        INDArray base = Nd4j.randn(DataType.FLOAT, 6, 5, 4, 3);
        INDArray matrix = Nd4j.randn(DataType.DOUBLE, 'f', 40, 7);
        INDArray[] arrays = {
            base,                                                                 // dense c
            base.permute(0, 3, 1, 2),                                             // permuted, whole buffer
            matrix,                                                               // dense f
            matrix.get(NDArrayIndex.interval(3, 9), NDArrayIndex.all()),          // strided view
            matrix.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5)),          // contiguous view, offset
            Nd4j.randn(DataType.FLOAT, 10, 8).get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()), // rows, c
            Nd4j.randn(DataType.FLOAT, 1, 500).get(NDArrayIndex.point(0), NDArrayIndex.interval(120, 360))
                    .reshape('c', 12, 20),                                        // parameter-like view, rank 2
            Nd4j.randn(DataType.FLOAT, 1, 9).castTo(DataType.HALF),               // no BLAS
            Nd4j.scalar(-2.5f),
        };
        for (INDArray a : arrays) {
            double l1 = 0;
            double sq = 0;
            for (double v : a.dup('c').castTo(DataType.DOUBLE).data().asDouble()) {
                l1 += Math.abs(v);
                sq += v * v;
            }
            double tol = a.dataType() == DataType.HALF ? 1e-2 : 1e-5;
            assertThat(DenseReductions.l1(a)).as("l1 of %s", a.shapeInfoToString()).isCloseTo(l1, within(tol * l1));
            assertThat(DenseReductions.l2(a)).as("l2 of %s", a.shapeInfoToString())
                    .isCloseTo(Math.sqrt(sq), within(tol * Math.sqrt(sq)));
        }
    }

    @Test
    void nonFiniteValuesPropagate() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 33, 17);
            x.putScalar(new long[] {32, 16}, bad);
            assertThat(Double.isFinite(DenseReductions.l1(x))).isFalse();
            assertThat(Double.isFinite(DenseReductions.l2(x))).isFalse();
        }
    }
}
