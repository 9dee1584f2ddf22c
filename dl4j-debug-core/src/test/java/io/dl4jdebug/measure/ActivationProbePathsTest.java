package io.dl4jdebug.measure;

import io.dl4jdebug.model.ActivationKind;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.testing.Naive;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * ActivationProbe on both reduction paths (the CPU's BLAS norms and the device path CUDA takes, run here on the
 * CPU): every statistic agrees with a naive double reference, and a finite output costs one host read.
 */
class ActivationProbePathsTest {

    private static final double TOLERANCE = 1e-5;

    private static LayerInfo layer(String activation, int unitAxis) {
        return new LayerInfo(0, "l", "DenseLayer", activation, ActivationKind.classify(activation), List.of(), false,
                true, unitAxis);
    }

    private static ActivationStats measuredInOneRead(ActivationProbe probe, LayerInfo layer, INDArray x) {
        long before = HostReads.count();
        ActivationStats s = probe.measure(layer, x);
        assertThat(HostReads.count() - before).as("host reads for %s", x.shapeInfoToString()).isEqualTo(1);
        return s;
    }

    private static void assertAgrees(ActivationStats s, INDArray x) {
        assertThat(s.size()).isEqualTo(x.length());
        assertThat(s.mean()).isCloseTo(Naive.mean(x), within(TOLERANCE));
        assertThat(s.std()).isCloseTo(Naive.std(x), within(TOLERANCE));
        assertThat(s.zeroFraction()).isCloseTo(Naive.zeroFraction(x), within(1e-12));
        assertThat(s.deadUnits()).isEqualTo(Naive.deadUnits(x));
        assertThat(s.units()).isEqualTo((int) x.size(1));
        assertThat(s.nonFinite()).isZero();
        assertThat(s.examples()).isEqualTo(x.size(0));
        assertThat(s.exampleStd()).isCloseTo(Naive.exampleSpread(x), within(TOLERANCE));
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void reluDenseAndConvolutionOutputsAgreeWithReference(ScalarBatch.Path path) {
        ActivationProbe probe = new ActivationProbe(path);
        Nd4j.getRandom().setSeed(7);
        INDArray dense = Transforms.relu(Nd4j.randn(DataType.FLOAT, 16, 12));
        dense.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).assign(0);
        INDArray conv = Transforms.relu(Nd4j.randn(DataType.FLOAT, 4, 6, 5, 5));
        conv.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        // DL4J's convolution outputs: an NCHW view of an NHWC buffer.
        INDArray permuted = Transforms.relu(Nd4j.randn(DataType.FLOAT, 4, 5, 5, 6)).permute(0, 3, 1, 2);

        for (INDArray x : new INDArray[] {dense, conv, permuted}) {
            ActivationStats relu = measuredInOneRead(probe, layer("relu", 1), x);
            assertAgrees(relu, x);
            ActivationStats identity = measuredInOneRead(probe, layer("identity", 1), x);
            assertAgrees(identity, x);
            assertThat(identity.saturation().applies()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void boundedOutputsAgreeWithReference(ScalarBatch.Path path) {
        ActivationProbe probe = new ActivationProbe(path);
        Nd4j.getRandom().setSeed(9);
        INDArray pre = Nd4j.randn(DataType.FLOAT, 32, 10);
        pre.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).muli(1000);
        pre.get(NDArrayIndex.all(), NDArrayIndex.point(5)).assign(50);
        pre.get(NDArrayIndex.all(), NDArrayIndex.point(6)).assign(-50);
        INDArray tanh = Transforms.tanh(pre);
        // Not -50 for sigmoid: its outputs of ~1e-22 would count as dead (MatchCondition's equals(0) has a tolerance)
        // while the naive reference counts exact zeros only.
        INDArray sigmoidPre = pre.dup();
        sigmoidPre.get(NDArrayIndex.all(), NDArrayIndex.point(6)).assign(50);
        INDArray sigmoid = Transforms.sigmoid(sigmoidPre);

        ActivationStats t = measuredInOneRead(probe, layer("tanh", 1), tanh);
        assertAgrees(t, tanh);
        assertThat(t.saturation().fraction()).isCloseTo(Naive.fractionAtBounds(tanh, -0.98, 0.98), within(1e-9));
        assertThat(t.saturation().units()).isEqualTo(Naive.saturatedUnits(tanh, -0.98, 0.98));
        ActivationStats s = measuredInOneRead(probe, layer("sigmoid", 1), sigmoid);
        assertAgrees(s, sigmoid);
        assertThat(s.saturation().fraction()).isCloseTo(Naive.fractionAtBounds(sigmoid, 0.01, 0.99), within(1e-9));
        assertThat(s.saturation().units()).isEqualTo(Naive.saturatedUnits(sigmoid, 0.01, 0.99));
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void channelsLastUnitsAndDeadUnitsAgree(ScalarBatch.Path path) {
        ActivationProbe probe = new ActivationProbe(path);
        Nd4j.getRandom().setSeed(12);
        INDArray x = Transforms.relu(Nd4j.randn(DataType.FLOAT, 4, 5, 5, 6));
        x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2)).assign(0);

        ActivationStats relu = measuredInOneRead(probe, layer("relu", 3), x);
        ActivationStats identity = measuredInOneRead(probe, layer("identity", 3), x);

        assertThat(relu.units()).isEqualTo(6);
        assertThat(relu.deadUnits()).isEqualTo(1);
        assertThat(identity.units()).isEqualTo(6);
        assertThat(identity.deadUnits()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void nonFiniteValuesAreCountedExactlyAndTheirUnitsAreNotDead(ScalarBatch.Path path) {
        ActivationProbe probe = new ActivationProbe(path);
        INDArray x = Nd4j.create(new float[][] {{1f, Float.NaN, 0f}, {Float.POSITIVE_INFINITY, 3f, 0f}});

        ActivationStats s = probe.measure(layer("relu", 1), x);

        assertThat(s.nonFinite()).isEqualTo(2);
        assertThat(s.deadUnits()).isEqualTo(1);
        assertThat(s.examples()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void largeFiniteValuesAreNotCountedAsNonFinite(ScalarBatch.Path path) {
        ActivationStats s = new ActivationProbe(path).measure(layer("identity", 1),
                Nd4j.create(new float[][] {{3e30f, 3e30f}, {1f, 2f}}));

        assertThat(s.nonFinite()).isZero();
    }
}
