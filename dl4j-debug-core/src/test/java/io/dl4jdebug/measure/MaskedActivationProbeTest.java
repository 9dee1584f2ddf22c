package io.dl4jdebug.measure;

import io.dl4jdebug.data.SumTask;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.testing.RnnNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Masked recurrent outputs: statistics over the examples and the real time steps of a real LSTM's output agree with a
 * naive reference, and whatever sits in the padded steps (NaN, values at the tanh bounds, zeros) changes nothing;
 * one host read per call on both reduction paths.
 */
class MaskedActivationProbeTest {

    private static final double TOLERANCE = 1e-4;

    /** A real LSTM output [n, units, time] for the masked sum task, and its mask. */
    private static INDArray[] lstmOutput() {
        MultiLayerNetwork net = RnnNets.sum(3, 8, new Adam(1e-2), 0);
        DataSet ds = SumTask.perStep(12, 3, 10, 5);
        INDArray out = net.feedForward(ds.getFeatures(), ds.getFeaturesMaskArray(), ds.getLabelsMaskArray()).get(1)
                .dup();
        return new INDArray[] {out, ds.getFeaturesMaskArray(), null};
    }

    private static LayerInfo lstmInfo() {
        return ModelView.of(RnnNets.sum(3, 8, new Adam(1e-2), 0)).layers().get(0);
    }

    /** Naive mean, population std, dead and saturated-unit counts over the real steps only. */
    private static double[] naive(INDArray out, INDArray mask, double threshold) {
        long n = 0;
        double sum = 0;
        double sq = 0;
        int units = (int) out.size(1);
        int dead = 0;
        int saturated = 0;
        for (int u = 0; u < units; u++) {
            boolean allZero = true;
            boolean allAtBound = true;
            for (int e = 0; e < out.size(0); e++) {
                for (int t = 0; t < out.size(2); t++) {
                    if (mask.getDouble(e, t) == 0) {
                        continue;
                    }
                    double v = out.getDouble(e, u, t);
                    n++;
                    sum += v;
                    sq += v * v;
                    allZero &= v == 0;
                    allAtBound &= Math.abs(v) >= threshold;
                }
            }
            dead += allZero ? 1 : 0;
            saturated += allAtBound ? 1 : 0;
        }
        double mean = sum / n;
        return new double[] {n, mean, Math.sqrt(Math.max(0, sq / n - mean * mean)), dead, saturated};
    }

    @Test
    void statisticsCoverExamplesAndRealStepsOnlyWhateverThePaddingHolds() {
        INDArray[] data = lstmOutput();
        INDArray out = data[0];
        INDArray mask = data[1];
        LayerInfo info = lstmInfo();
        assertThat(info.type()).isEqualTo("LSTM");
        assertThat(info.activationKind().isBounded()).isTrue();
        // Unit 0 at the upper tanh bound, unit 1 exactly zero, on every real step.
        for (int e = 0; e < out.size(0); e++) {
            for (int t = 0; t < out.size(2); t++) {
                out.putScalar(new long[] {e, 0, t}, 0.999);
                out.putScalar(new long[] {e, 1, t}, 0.0);
            }
        }
        double threshold = 1 - 2 * ActivationProbe.SATURATION_MARGIN;
        double[] expected = naive(out, mask, threshold);

        for (ScalarBatch.Path path : ScalarBatch.Path.values()) {
            for (double padding : new double[] {0.0, Double.NaN, 1.0, Double.POSITIVE_INFINITY}) {
                INDArray poisoned = out.dup();
                for (int e = 0; e < out.size(0); e++) {
                    for (int t = 0; t < out.size(2); t++) {
                        if (mask.getDouble(e, t) == 0) {
                            for (int u = 0; u < out.size(1); u++) {
                                poisoned.putScalar(new long[] {e, u, t}, padding);
                            }
                        }
                    }
                }
                long before = HostReads.count();
                ActivationStats s = new ActivationProbe(path).measure(info, poisoned, mask);
                assertThat(HostReads.count() - before).as("host reads on %s", path).isEqualTo(1);
                String as = path + " padding " + padding;
                assertThat(s.size()).as(as).isEqualTo((long) expected[0]);
                assertThat(s.mean()).as(as).isCloseTo(expected[1], within(TOLERANCE));
                assertThat(s.std()).as(as).isCloseTo(expected[2], within(TOLERANCE));
                assertThat(s.nonFinite()).as(as).isZero();
                assertThat(s.deadUnits()).as(as).isEqualTo((int) expected[3]).isEqualTo(1);
                assertThat(s.saturation().units()).as(as).isEqualTo((int) expected[4]).isEqualTo(1);
                assertThat(s.units()).isEqualTo(8);
            }
        }
    }

    @Test
    void aNanInARealStepIsCountedAndTheUnmaskedOutputMeasuresAsBefore() {
        INDArray[] data = lstmOutput();
        INDArray out = data[0];
        INDArray mask = data[1];
        LayerInfo info = lstmInfo();
        out.putScalar(new long[] {0, 2, 0}, Double.NaN); // step 0 is real for every example (min length 3)

        assertThat(new ActivationProbe().measure(info, out, mask).nonFinite()).isEqualTo(1);
        ActivationStats unmasked = new ActivationProbe().measure(info, out, null);
        assertThat(unmasked.size()).isEqualTo(out.length());
    }

    @Test
    void aMaskThatDoesNotFitTheOutputIsRefusedWithItsShape() {
        INDArray[] data = lstmOutput();
        INDArray wrong = data[1].getColumns(0, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MaskedOutputs.broadcastCondition(data[0], wrong, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[minibatch, time]");
    }
}
