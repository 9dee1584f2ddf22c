package io.dl4jdebug.preflight;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KernelProbeTest {

    @Test
    void inProcessProbePassesOnCpuWithTheNumbersPlainJavaComputes() {
        DataType before = Nd4j.dataType();
        KernelProbeResult result = KernelProbe.runInProcess();

        assertThat(result.isPassed()).as(result.detail()).isTrue();
        assertThat(result.detail()).contains("mmul/sigmoid/sum/conv2d ran correctly");
        // float32 rounding, far below the tolerance a broken kernel would break
        assertThat(result.evidence().get("maxRelativeError")).isLessThan(1e-6);
        assertThat(result.evidence().get("probeSeconds")).isPositive();
        assertThat(Nd4j.dataType()).as("the probe leaves the global data type alone").isEqualTo(before);
    }

    @Test
    void plainJavaReferencesAgreeWithHandComputedValues() {
        // [[1, 2]] x [[3], [4]] is outside the probe's fixed shapes, so check the 4x3x5 product on unit vectors
        float[] a = new float[12];
        float[] b = new float[15];
        a[0] = 2;               // a[0][0]
        b[4] = 3;               // b[0][4]
        assertThat(KernelProbe.matmul(a, b)[4]).isEqualTo(6.0);
        assertThat(KernelProbe.sigmoidOf(new float[] {0})[0]).isEqualTo(0.5);
        assertThat(KernelProbe.sumOf(new float[] {0.5f, -0.25f, 1})).isEqualTo(1.25);
        // all-ones input and weights: every output is bias + C * KH * KH = bias + 8
        float[] ones = new float[32];
        Arrays.fill(ones, 1);
        float[] w = new float[24];
        Arrays.fill(w, 1);
        double[] conv = KernelProbe.conv2d(ones, w, new float[] {0, 1, -1});
        assertThat(conv).hasSize(27);
        assertThat(conv[0]).isEqualTo(8.0);
        assertThat(conv[9]).isEqualTo(9.0);
        assertThat(conv[26]).isEqualTo(7.0);
    }

    @Test
    void probeValuesAreSmallDistinctAndDeterministic() {
        float[] v = KernelProbe.values(12, 1);
        assertThat(v).isEqualTo(KernelProbe.values(12, 1));
        for (float x : v) {
            assertThat((double) x).isCloseTo(0, within(0.5));
        }
        assertThat(KernelProbe.values(12, 2)).isNotEqualTo(v);
    }
}
