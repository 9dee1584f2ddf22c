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
 * <p>Passes over the output: the per-feature means over the examples (whose sum gives the mean) and an L2 norm
 * (standard deviation and, when both are finite, proof that no value is NaN or infinite), a zero count, dead units
 * (for ReLU-like layers, whose outputs are never negative, from the per-unit mean of the per-feature means; for
 * others one per-unit max-abs reduction); for bounded activations one count and one per-unit min-abs reduction for
 * saturation (a unit is saturated when its output is within 1 % of the range from either bound for every example);
 * for activation collapse, the output centred on its per-feature means and that difference's L2 norm: the root mean
 * square, over features, of the population standard deviation across the minibatch (two passes, so a spread far
 * below the values' scale is still measured exactly). Order-free counts and sums over a permuted view (DL4J's
 * convolution outputs) run over its dense buffer. Per-unit reductions produce one value per unit, reduced
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
            INDArray dense = DenseReductions.orderFree(output);
            long examples = output.rank() >= 2 ? output.size(0) : 0;
            // Per-feature means over the examples: their sum gives the mean, and centring on them the spread across
            // examples (two-pass, so no cancellation when the spread is tiny next to the values).
            INDArray featureMeans = examples >= 2 ? output.mean(0) : null;
            double sum = featureMeans != null ? scalar(new Sum(featureMeans)) * examples : scalar(new Sum(dense));
            double norm2 = DenseReductions.l2(output);
            long nonFinite = NonFiniteProbe.countIfSuspicious(output, sum + norm2);
            double mean = sum / n;
            double variance = Math.max(0, norm2 * norm2 / n - mean * mean);
            // CountZero: the same exact-zero count as MatchCondition(equals(0)), about 15x faster on the CPU backend.
            double zeroFraction = scalar(new CountZero(dense)) / n;

            int[] batchDims = batchDimensions(output.rank(), layer.unitAxis());
            int units;
            int dead;
            if (batchDims.length == 0) {
                units = 1;
                dead = zeroFraction == 1.0 ? 1 : 0;
            } else if (layer.activationKind().canDie() && featureMeans != null && nonFinite == 0) {
                // ReLU outputs are >= 0: a unit is zero for every example and position exactly when its mean is.
                // The per-feature means are already there, so this skips a reduction over the whole output.
                INDArray perUnit = unitMeans(featureMeans, batchDims);
                units = (int) perUnit.length();
                dead = (int) count(perUnit, Conditions.equals(0));
                if (perUnit != featureMeans) {
                    perUnit.close();
                }
            } else {
                INDArray maxAbsPerUnit = output.amax(batchDims);
                units = (int) maxAbsPerUnit.length();
                dead = (int) count(maxAbsPerUnit, Conditions.equals(0));
                maxAbsPerUnit.close();
            }
            Saturation saturation = saturation(layer.activationKind(), output, dense, batchDims, n);
            double exampleStd = 0;
            if (featureMeans != null && nonFinite == 0) {
                INDArray centred = output.sub(featureMeans.reshape(withLeadingOne(featureMeans.shape())));
                exampleStd = DenseReductions.l2(centred) / Math.sqrt(n);
                centred.close();
            } else {
                examples = 0;
            }
            if (featureMeans != null) {
                featureMeans.close();
            }
            return new ActivationStats(layer.name(), layer.activation(), n, mean, Math.sqrt(variance), zeroFraction,
                    units, dead, saturation, nonFinite, examples, exampleStd);
        }
    }

    /**
     * @param featureMeans the output's means over dimension 0 (one per unit and position)
     * @param batchDims    the output's dimensions other than the unit axis (they include 0)
     * @return one mean per unit: the feature means themselves for rank-2 outputs, else reduced over the positions
     */
    private static INDArray unitMeans(INDArray featureMeans, int[] batchDims) {
        if (batchDims.length == 1) {
            return featureMeans;
        }
        int[] positions = new int[batchDims.length - 1];
        for (int i = 1; i < batchDims.length; i++) {
            positions[i - 1] = batchDims[i] - 1;
        }
        return featureMeans.mean(positions);
    }

    private static long[] withLeadingOne(long[] shape) {
        long[] result = new long[shape.length + 1];
        result[0] = 1;
        System.arraycopy(shape, 0, result, 1, shape.length);
        return result;
    }

    private static Saturation saturation(ActivationKind kind, INDArray output, INDArray dense, int[] batchDims,
                                         long n) {
        if (!kind.isBounded()) {
            return Saturation.notApplicable();
        }
        double lower = kind.lowerBound().getAsDouble();
        double upper = kind.upperBound().getAsDouble();
        double center = (lower + upper) / 2;
        double threshold = (upper - lower) / 2 - SATURATION_MARGIN * (upper - lower);
        // Distance from the centre of the range: saturated values are within 1 % of the range from either bound.
        INDArray centred = center == 0 ? output : output.sub(center);
        long atBounds = count(center == 0 ? dense : DenseReductions.orderFree(centred),
                Conditions.absGreaterThanOrEqual(threshold));
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
        HostReads.record();
        result.close();
        return value;
    }
}
