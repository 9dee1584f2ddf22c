package io.dl4jdebug.measure;

import io.dl4jdebug.testing.FashionData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@link BackwardProbe} against a naive reference on real arrays, and the validation of its records. */
class BackwardProbeTest {

    private static final double TOLERANCE = 1e-4;

    private static double naiveNorm(INDArray a) {
        double sum = 0;
        for (double v : a.castTo(DataType.DOUBLE).ravel().toDoubleVector()) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    @Test
    void normsAgreeWithANaiveReferenceAndCountsAreZeroForFiniteArrays() {
        INDArray out = FashionData.train(8).getFeatures();
        INDArray in = FashionData.train(8).getLabels().sub(0.1);
        BackwardStats s = new BackwardProbe().measure("h1", out, in);

        assertThat(s.layer()).isEqualTo("h1");
        assertThat(s.outputGradientSize()).isEqualTo(8 * 784);
        assertThat(s.outputGradientNorm()).isCloseTo(naiveNorm(out), within(TOLERANCE * naiveNorm(out)));
        assertThat(s.inputGradientNorm()).isCloseTo(naiveNorm(in), within(TOLERANCE * naiveNorm(in)));
        assertThat(s.hasNonFinite()).isFalse();
        assertThat(s.hasInputGradient()).isTrue();
    }

    @Test
    void countsNonFiniteValuesExactlyAndAcceptsAMissingInputGradient() {
        INDArray out = FashionData.train(4).getFeatures().dup();
        out.putScalar(0, 3, Double.NaN);
        out.putScalar(2, 7, Double.POSITIVE_INFINITY);
        out.putScalar(3, 9, Double.NEGATIVE_INFINITY);
        BackwardStats s = new BackwardProbe().measure("emb", out, null);

        assertThat(s.outputGradientNonFinite()).isEqualTo(3);
        assertThat(s.hasInputGradient()).isFalse();
        assertThat(s.inputGradientNorm()).isZero();
        assertThat(s.hasNonFinite()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void bothPathsAgreeWithTheReferenceInOneHostRead(ScalarBatch.Path path) {
        INDArray out = FashionData.train(8).getFeatures();
        INDArray in = FashionData.train(8).getLabels().sub(0.1);
        long before = HostReads.count();
        BackwardStats s = new BackwardProbe(path).measure("h1", out, in);

        assertThat(HostReads.count() - before).isEqualTo(1);
        assertThat(s.outputGradientNorm()).isCloseTo(naiveNorm(out), within(TOLERANCE * naiveNorm(out)));
        assertThat(s.inputGradientNorm()).isCloseTo(naiveNorm(in), within(TOLERANCE * naiveNorm(in)));
        assertThat(s.hasNonFinite()).isFalse();

        INDArray bad = out.dup();
        bad.putScalar(1, 2, Double.NaN);
        BackwardStats nan = new BackwardProbe(path).measure("h1", bad, null);
        assertThat(nan.outputGradientNonFinite()).isEqualTo(1);
        assertThat(nan.inputGradientNorm()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ScalarBatch.Path.class)
    void parameterGradientsAreCheckedInTheSameHostRead(ScalarBatch.Path path) {
        INDArray out = FashionData.train(8).getFeatures();
        INDArray in = FashionData.train(8).getLabels().sub(0.1);
        INDArray params = Nd4j.linspace(-1, 1, 50).reshape(5, 10).castTo(DataType.FLOAT);

        long before = HostReads.count();
        BackwardProbe.Measured fine = new BackwardProbe(path).measure("h1", out, in, params);
        assertThat(HostReads.count() - before).isEqualTo(1);
        assertThat(fine.parameterGradientsFinite()).isTrue();
        assertThat(fine.stats().inputGradientNorm()).isCloseTo(naiveNorm(in), within(TOLERANCE * naiveNorm(in)));

        INDArray bad = params.dup();
        bad.putScalar(3, 4, Double.POSITIVE_INFINITY);
        BackwardProbe.Measured inf = new BackwardProbe(path).measure("h1", out, in, bad);
        assertThat(inf.parameterGradientsFinite()).isFalse();
        assertThat(inf.stats().hasNonFinite()).as("the activation gradients are still finite").isFalse();
        assertThat(new BackwardProbe(path).measure("h1", out, in, null).parameterGradientsFinite()).isTrue();
    }

    @Test
    void recordsRefuseImpossibleCounts() {
        assertThatThrownBy(() -> new BackwardStats("l", 4, 1, 5, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputGradientNonFinite")
                .hasMessageContaining("5");
        assertThatThrownBy(() -> new LayerProbeSnapshot(-1, 0, java.util.List.of(), java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void everyKindBelongsToAPass() {
        assertThat(new NonFiniteEvent(1, 0, NonFiniteEvent.Kind.LAYER_INPUT, "h0", null, 1, 2).pass())
                .isEqualTo(NonFiniteEvent.Pass.FORWARD);
        assertThat(new NonFiniteEvent(1, 0, NonFiniteEvent.Kind.OUTPUT_GRADIENT, "h0", null, 1, 2).pass())
                .isEqualTo(NonFiniteEvent.Pass.BACKWARD);
        assertThat(new NonFiniteEvent(1, 0, NonFiniteEvent.Kind.PARAMETER, "h0", "W", 1, 2).pass())
                .isEqualTo(NonFiniteEvent.Pass.UPDATE);
        assertThat(new NonFiniteEvent(4, 1, NonFiniteEvent.Kind.OUTPUT_GRADIENT, "h2", null, 3, 8).describe())
                .isEqualTo("first non-finite value at iteration 4 (epoch 1): 3 of 8 values NaN/Inf in dL/d(output) "
                        + "arriving at layer 'h2' (backward pass; made above it by the loss, the output layer or a "
                        + "graph vertex)");
        // Existing kinds keep their wording.
        assertThat(new NonFiniteEvent(0, 0, NonFiniteEvent.Kind.ACTIVATION, "h1", null, 1, 2).describe())
                .isEqualTo("first non-finite value at iteration 0 (epoch 0): 1 of 2 values NaN/Inf in the activation "
                        + "of layer 'h1'");
    }
}
