package io.dl4jdebug.measure;

import io.dl4jdebug.model.ActivationKind;
import io.dl4jdebug.model.LayerInfo;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountZero;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Condition;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Reduces one layer output to {@link ActivationStats} on the device; only scalars reach the JVM.
 *
 * <p>Passes over the output: a sum and an L2 norm (mean, standard deviation and, when both are finite, proof that no
 * value is NaN or infinite), a zero count, one per-unit max-abs reduction for dead units; for bounded activations
 * one count and one per-unit min-abs reduction for saturation (a unit is saturated when its output is within 1 % of
 * the range from either bound for every example); one standard deviation across the minibatch dimension, averaged
 * on the device, for activation collapse. Per-unit reductions produce one value per unit, reduced
 * again on the device. All temporaries are allocated outside DL4J's workspaces. Stateless and thread safe.
 */
public final class ActivationProbe implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Share of the output range next to a bound that counts as saturated. */
    public static final double SATURATION_MARGIN = 0.01;

    /**
     * Measures one output.
     *
     * @param layer the layer that produced it
     * @param output its output array (any rank; dimension 0 is the minibatch)
     * @return the statistics
     */
    public ActivationStats measure(LayerInfo layer, INDArray output) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            long n = output.length();
            if (n == 0) {
                return new ActivationStats(layer.name(), layer.activation(), 0, 0, 0, 0, 0, 0,
                        Saturation.notApplicable(), 0);
            }
            double sum = output.sumNumber().doubleValue();
            double norm2 = DenseReductions.l2(output);
            long nonFinite = NonFiniteProbe.countIfSuspicious(output, sum + norm2);
            double mean = sum / n;
            double variance = Math.max(0, norm2 * norm2 / n - mean * mean);
            // CountZero: the same exact-zero count as MatchCondition(equals(0)), about 15x faster on the CPU backend.
            double zeroFraction = (double) Nd4j.getExecutioner().exec(new CountZero(output)).getLong(0) / n;

            int[] batchDims = batchDimensions(output.rank(), layer.unitAxis());
            int units;
            int dead;
            if (batchDims.length == 0) {
                units = 1;
                dead = zeroFraction == 1.0 ? 1 : 0;
            } else {
                INDArray maxAbsPerUnit = output.amax(batchDims);
                units = (int) maxAbsPerUnit.length();
                dead = (int) count(maxAbsPerUnit, Conditions.equals(0));
            }
            Saturation saturation = saturation(layer.activationKind(), output, batchDims, n);
            long examples = output.rank() >= 2 ? output.size(0) : 0;
            double exampleStd = 0;
            if (examples >= 2 && nonFinite == 0) {
                exampleStd = output.std(false, 0).meanNumber().doubleValue();
            } else {
                examples = 0;
            }
            return new ActivationStats(layer.name(), layer.activation(), n, mean, Math.sqrt(variance), zeroFraction,
                    units, dead, saturation, nonFinite, examples, exampleStd);
        }
    }

    private static Saturation saturation(ActivationKind kind, INDArray output, int[] batchDims, long n) {
        if (!kind.isBounded()) {
            return Saturation.notApplicable();
        }
        double lower = kind.lowerBound().getAsDouble();
        double upper = kind.upperBound().getAsDouble();
        double center = (lower + upper) / 2;
        double threshold = (upper - lower) / 2 - SATURATION_MARGIN * (upper - lower);
        // Distance from the centre of the range: saturated values are within 1 % of the range from either bound.
        INDArray centred = center == 0 ? output : output.sub(center);
        long atBounds = count(centred, Conditions.absGreaterThanOrEqual(threshold));
        int units = 0;
        if (batchDims.length > 0) {
            units = (int) count(centred.amin(batchDims), Conditions.greaterThanOrEqual(threshold));
        }
        return Saturation.measured(Math.min(1.0, (double) atBounds / n), units);
    }

    /**
     * The dimensions to reduce over so that one value per unit remains: every dimension except the unit axis.
     *
     * @param rank     rank of the output
     * @param unitAxis axis of the units (1 unless NHWC or NWC)
     * @return the dimensions, empty for rank-1 outputs
     */
    static int[] batchDimensions(int rank, int unitAxis) {
        if (rank < 2) {
            return new int[0];
        }
        int axis = unitAxis < rank ? unitAxis : 1;
        int[] dims = new int[rank - 1];
        int j = 0;
        for (int d = 0; d < rank; d++) {
            if (d != axis) {
                dims[j++] = d;
            }
        }
        return dims;
    }

    private static long count(INDArray array, Condition condition) {
        return Nd4j.getExecutioner().exec(new MatchCondition(array, condition)).getLong(0);
    }
}
