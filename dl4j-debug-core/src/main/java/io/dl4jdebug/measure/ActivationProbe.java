package io.dl4jdebug.measure;

import io.dl4jdebug.model.ActivationKind;
import io.dl4jdebug.model.LayerInfo;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountZero;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
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
 * again on the device. All temporaries are allocated outside DL4J's workspaces and closed as soon as their scalar is
 * read, so that monitoring does not raise the peak off-heap memory between garbage collections. Stateless and
 * thread safe.
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
            double sum = scalar(new Sum(output));
            double norm2 = DenseReductions.l2(output);
            long nonFinite = NonFiniteProbe.countIfSuspicious(output, sum + norm2);
            double mean = sum / n;
            double variance = Math.max(0, norm2 * norm2 / n - mean * mean);
            // CountZero: the same exact-zero count as MatchCondition(equals(0)), about 15x faster on the CPU backend.
            double zeroFraction = scalar(new CountZero(output)) / n;

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
                maxAbsPerUnit.close();
            }
            Saturation saturation = saturation(layer.activationKind(), output, batchDims, n);
            long examples = output.rank() >= 2 ? output.size(0) : 0;
            double exampleStd = 0;
            if (examples >= 2 && nonFinite == 0) {
                INDArray stdPerValue = output.std(false, 0);
                exampleStd = scalar(new Mean(stdPerValue));
                stdPerValue.close();
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
            INDArray minAbsPerUnit = centred.amin(batchDims);
            units = (int) count(minAbsPerUnit, Conditions.greaterThanOrEqual(threshold));
            minAbsPerUnit.close();
        }
        if (centred != output) {
            centred.close();
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
        return (long) scalar(new MatchCondition(array, condition));
    }

    /** Runs a whole-array reduction and frees its scalar result at once (not left to the garbage collector). */
    private static double scalar(ReduceOp op) {
        INDArray result = Nd4j.getExecutioner().exec(op);
        double value = result.getDouble(0);
        result.close();
        return value;
    }
}
