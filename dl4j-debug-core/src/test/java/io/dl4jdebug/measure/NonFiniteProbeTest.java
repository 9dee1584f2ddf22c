package io.dl4jdebug.measure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast finiteness test (BLAS asum over contiguous float/double buffers, ND4J's sum otherwise) against a naive
 * element-by-element reference: every position of every length up to 70 (covering vectorised main loops and their
 * scalar tails), NaN and both infinities, float and double, matrices, views with an offset, strided views and a
 * type without BLAS (half), each with a healthy twin that must pass.
 */
class NonFiniteProbeTest {

    private static final double[] BAD = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void everyPositionOfEveryShortLengthIsFound() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int n = 1; n <= 70; n++) {
                INDArray healthy = Nd4j.linspace(type, -1, 0.03, n);
                assertThat(NonFiniteProbe.allFinite(healthy)).as("%s length %d healthy", type, n).isTrue();
                for (int pos = 0; pos < n; pos++) {
                    for (double bad : BAD) {
                        INDArray x = healthy.dup();
                        x.putScalar(pos, bad);
                        assertThat(NonFiniteProbe.allFinite(x)).as("%s length %d, %s at %d", type, n, bad, pos)
                                .isFalse();
                        assertThat(NonFiniteProbe.count(x)).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void largeFlatVectorMatrixAndFortranOrderAreChecked() {
        Nd4j.getRandom().setSeed(3);
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 235_146);
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 64, 257);
        INDArray fortran = Nd4j.rand(DataType.DOUBLE, 'f', 31, 17);
        INDArray conv = Nd4j.rand(DataType.FLOAT, 4, 8, 7, 7);
        for (INDArray healthy : new INDArray[] {flat, matrix, fortran, conv}) {
            assertThat(NonFiniteProbe.allFinite(healthy)).isTrue();
            for (long pos : new long[] {0, healthy.length() / 2 + 1, healthy.length() - 1}) {
                INDArray x = healthy.dup(healthy.ordering());
                x.putScalar(pos, Double.NaN);
                assertThat(NonFiniteProbe.allFinite(x)).as("%s NaN at %d", x.shapeInfoToString(), pos).isFalse();
            }
        }
        // Permuted views covering their whole buffer, as DL4J's convolution layers hand them to listeners.
        for (int pos : new int[] {0, 777, 4 * 8 * 7 * 7 - 1}) {
            INDArray base = Nd4j.rand(DataType.FLOAT, 4, 7, 7, 8);
            INDArray permuted = base.permute(0, 3, 1, 2);
            assertThat(permuted.elementWiseStride()).isNotEqualTo(1);
            assertThat(NonFiniteProbe.allFinite(permuted)).isTrue();
            base.putScalar(pos, Double.POSITIVE_INFINITY);
            assertThat(NonFiniteProbe.allFinite(permuted)).as("Inf at buffer position %d", pos).isFalse();
        }
    }

    @Test
    void viewsWithOffsetStridedViewsAndHalfPrecisionAreChecked() {
        INDArray base = Nd4j.rand(DataType.FLOAT, 20, 30);
        INDArray rows = base.get(NDArrayIndex.interval(5, 9), NDArrayIndex.all());        // contiguous, offset
        INDArray column = base.get(NDArrayIndex.all(), NDArrayIndex.point(3));             // strided
        INDArray block = base.get(NDArrayIndex.interval(2, 6), NDArrayIndex.interval(4, 9)); // strided rows
        assertThat(NonFiniteProbe.allFinite(rows)).isTrue();
        assertThat(NonFiniteProbe.allFinite(column)).isTrue();
        assertThat(NonFiniteProbe.allFinite(block)).isTrue();

        base.putScalar(new long[] {0, 0}, Double.NaN);   // outside every view
        assertThat(NonFiniteProbe.allFinite(rows)).isTrue();
        assertThat(NonFiniteProbe.allFinite(column)).isTrue();
        assertThat(NonFiniteProbe.allFinite(block)).isTrue();

        base.putScalar(new long[] {8, 29}, Double.POSITIVE_INFINITY); // last value of rows
        base.putScalar(new long[] {19, 3}, Double.NaN);               // last value of column
        base.putScalar(new long[] {5, 8}, Double.NEGATIVE_INFINITY);  // last value of block
        assertThat(NonFiniteProbe.allFinite(rows)).isFalse();
        assertThat(NonFiniteProbe.allFinite(column)).isFalse();
        assertThat(NonFiniteProbe.allFinite(block)).isFalse();

        INDArray half = Nd4j.rand(DataType.FLOAT, 3, 40).castTo(DataType.HALF);
        assertThat(NonFiniteProbe.allFinite(half)).isTrue();
        half.putScalar(new long[] {2, 39}, Double.NaN);
        assertThat(NonFiniteProbe.allFinite(half)).isFalse();
    }

    @Test
    void largeFiniteValuesWhoseSumOverflowsAreFinite() {
        INDArray x = Nd4j.valueArrayOf(new long[] {1000}, 3.0e37f, DataType.FLOAT);
        assertThat(NonFiniteProbe.allFinite(x)).isTrue();
        assertThat(NonFiniteProbe.count(x)).isZero();
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void manyArraysAreCheckedInOneHostReadAndTheFirstBadOneIsNamed(ScalarBatch.Path path) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.HALF}) {
            INDArray a = Nd4j.linspace(type, -1, 0.03, 60).reshape(6, 10);
            INDArray b = Nd4j.linspace(type, 2, -0.05, 35);
            INDArray strided = a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 10));
            List<INDArray> finite = Arrays.asList(a, null, b, strided, Nd4j.empty(type));

            long before = HostReads.count();
            assertThat(NonFiniteProbe.firstNonFinite(path, finite)).as("%s", type).isEqualTo(-1);
            assertThat(HostReads.count() - before).as("reads for five finite %s arrays", type).isEqualTo(1);
            assertThat(NonFiniteProbe.firstNonFinite(path, Arrays.asList(null, null))).isEqualTo(-1);

            INDArray badB = b.dup();
            badB.putScalar(3, Double.NaN);
            INDArray badStrided = a.dup().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 10));
            badStrided.putScalar(5, 4, Double.POSITIVE_INFINITY);
            assertThat(NonFiniteProbe.firstNonFinite(path, Arrays.asList(a, badB, badStrided)))
                    .as("%s", type).isEqualTo(1);
            assertThat(NonFiniteProbe.firstNonFinite(path, Arrays.asList(badStrided, badB)))
                    .as("%s", type).isEqualTo(0);
        }
        // A sum that overflows is not a bad array: the exact count clears it and the next one is named.
        INDArray huge = Nd4j.valueArrayOf(new long[] {1000}, 3.0e37f, DataType.FLOAT);
        INDArray nan = Nd4j.createFromArray(1f, Float.NaN);
        assertThat(NonFiniteProbe.firstNonFinite(path, Arrays.asList(huge, nan))).isEqualTo(1);
    }
}
