package io.dl4jdebug.measure;

import io.dl4jdebug.model.ActivationKind;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.testing.Naive;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ActivationProbeTest {

    private static final double TOLERANCE = 1e-5;
    private final ActivationProbe probe = new ActivationProbe();

    private static LayerInfo layer(String activation) {
        return new LayerInfo(0, "l", "DenseLayer", activation, ActivationKind.classify(activation), List.of(), false,
                true, 1);
    }

    @Test
    void reluDenseOutputAgreesWithNaiveReference() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Transforms.relu(Nd4j.randn(DataType.FLOAT, 16, 12));
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).assign(0); // three dead units

        ActivationStats s = probe.measure(layer("relu"), x);

        assertThat(s.size()).isEqualTo(16 * 12);
        assertThat(s.mean()).isCloseTo(Naive.mean(x), within(TOLERANCE));
        assertThat(s.std()).isCloseTo(Naive.std(x), within(TOLERANCE));
        assertThat(s.zeroFraction()).isCloseTo(Naive.zeroFraction(x), within(1e-12));
        assertThat(s.units()).isEqualTo(12);
        assertThat(s.deadUnits()).isEqualTo(Naive.deadUnits(x)).isGreaterThanOrEqualTo(3);
        assertThat(s.saturation().applies()).isFalse();
        assertThat(s.nonFinite()).isZero();
    }

    @Test
    void spreadAcrossExamplesAgreesWithNaiveReferenceOnDenseAndPermutedOutputs() {
        Nd4j.getRandom().setSeed(9);
        INDArray dense = Nd4j.randn(DataType.FLOAT, 16, 12);
        // DL4J's convolution outputs: an NCHW view of an NHWC buffer.
        INDArray permuted = Transforms.relu(Nd4j.randn(DataType.FLOAT, 4, 5, 5, 6)).permute(0, 3, 1, 2);
        assertThat(permuted.elementWiseStride()).isNotEqualTo(1);
        for (INDArray x : new INDArray[] {dense, permuted}) {
            ActivationStats s = probe.measure(layer("relu"), x);
            assertThat(s.examples()).isEqualTo(x.size(0));
            assertThat(s.exampleStd()).as("spread of %s", x.shapeInfoToString())
                    .isCloseTo(Naive.exampleSpread(x), within(TOLERANCE));
            assertThat(s.mean()).isCloseTo(Naive.mean(x), within(TOLERANCE));
            assertThat(s.std()).isCloseTo(Naive.std(x), within(TOLERANCE));
            assertThat(s.zeroFraction()).isCloseTo(Naive.zeroFraction(x), within(1e-12));
            assertThat(s.deadUnits()).isEqualTo(Naive.deadUnits(x));
        }
    }

    @Test
    void channelsLastOutputCountsItsLastAxisAsUnits() {
        Nd4j.getRandom().setSeed(12);
        INDArray x = Transforms.relu(Nd4j.randn(DataType.FLOAT, 4, 5, 5, 6));
        x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2)).assign(0);
        LayerInfo nhwc = new LayerInfo(0, "c", "ConvolutionLayer", "relu", ActivationKind.RELU_LIKE, List.of(), false,
                true, 3);

        ActivationStats relu = probe.measure(nhwc, x);
        ActivationStats identity = probe.measure(new LayerInfo(0, "c", "ConvolutionLayer", "identity",
                ActivationKind.IDENTITY, List.of(), false, true, 3), x);

        assertThat(relu.units()).isEqualTo(6);
        assertThat(relu.deadUnits()).isEqualTo(1);
        // The max-abs path of non-ReLU layers agrees with the mean path of ReLU layers.
        assertThat(identity.units()).isEqualTo(6);
        assertThat(identity.deadUnits()).isEqualTo(1);
    }

    @Test
    void aSpreadFarBelowTheScaleIsStillMeasured() {
        Nd4j.getRandom().setSeed(10);
        // Every example the same vector around 0.5, plus noise of 1e-5: a collapsed layer.
        INDArray row = Nd4j.rand(DataType.FLOAT, 1, 64).addi(0.5);
        INDArray x = row.repeat(0, 32).addi(Nd4j.randn(DataType.FLOAT, 32, 64).muli(1e-5));

        ActivationStats s = probe.measure(layer("sigmoid"), x);

        double reference = Naive.exampleSpread(x);
        assertThat(reference).isBetween(5e-6, 2e-5);
        assertThat(s.exampleStd()).isCloseTo(reference, within(0.02 * reference));
    }

    @Test
    void convolutionOutputCountsChannelsAsUnits() {
        Nd4j.getRandom().setSeed(8);
        INDArray x = Transforms.relu(Nd4j.randn(DataType.FLOAT, 4, 6, 5, 5));
        x.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);

        ActivationStats s = probe.measure(layer("relu"), x);

        assertThat(s.units()).isEqualTo(6);
        assertThat(s.deadUnits()).isEqualTo(Naive.deadUnits(x)).isGreaterThanOrEqualTo(1);
        assertThat(s.mean()).isCloseTo(Naive.mean(x), within(TOLERANCE));
        assertThat(s.std()).isCloseTo(Naive.std(x), within(TOLERANCE));
    }

    @Test
    void tanhSaturationAgreesWithNaiveReference() {
        Nd4j.getRandom().setSeed(9);
        INDArray pre = Nd4j.randn(DataType.FLOAT, 32, 10);
        pre.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).muli(1000); // four units pinned to +-1 mostly
        pre.get(NDArrayIndex.all(), NDArrayIndex.point(5)).assign(50);       // one unit at +1 for every example
        pre.get(NDArrayIndex.all(), NDArrayIndex.point(6)).assign(-50);      // one unit at -1 for every example
        INDArray x = Transforms.tanh(pre);

        ActivationStats s = probe.measure(layer("tanh"), x);

        assertThat(s.saturation().applies()).isTrue();
        assertThat(s.saturation().fraction()).isCloseTo(Naive.fractionAtBounds(x, -0.98, 0.98), within(1e-9));
        assertThat(s.saturation().units()).isEqualTo(Naive.saturatedUnits(x, -0.98, 0.98)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void sigmoidSaturationUsesTheZeroToOneBounds() {
        INDArray x = Nd4j.create(new float[][] {{0.001f, 0.5f, 0.999f}, {0.005f, 0.4f, 0.995f}});

        ActivationStats s = probe.measure(layer("sigmoid"), x);

        assertThat(s.saturation().fraction()).isCloseTo(4.0 / 6, within(1e-9));
        assertThat(s.saturation().units()).isEqualTo(2);
    }

    @Test
    void nonFiniteValuesAreCountedExactly() {
        INDArray x = Nd4j.create(new float[][] {{1f, Float.NaN, 3f}, {Float.POSITIVE_INFINITY, 0f, 2f}});

        ActivationStats s = probe.measure(layer("identity"), x);

        assertThat(s.nonFinite()).isEqualTo(2);
    }

    @Test
    void largeFiniteValuesWhoseSquaresOverflowAreNotCountedAsNonFinite() {
        INDArray x = Nd4j.create(new float[][] {{3e30f, 3e30f}, {1f, 2f}});

        ActivationStats s = probe.measure(layer("identity"), x);

        assertThat(s.nonFinite()).isZero();
    }

    @Test
    void nonFiniteProbeAgreesWithACount() {
        INDArray x = Nd4j.linspace(DataType.FLOAT, 1, 100, 100).reshape(10, 10);
        assertThat(NonFiniteProbe.allFinite(x)).isTrue();
        x.putScalar(3, 4, Float.NEGATIVE_INFINITY);
        x.putScalar(7, 1, Float.NaN);
        assertThat(NonFiniteProbe.allFinite(x)).isFalse();
        assertThat(NonFiniteProbe.count(x)).isEqualTo(2);
    }
}
