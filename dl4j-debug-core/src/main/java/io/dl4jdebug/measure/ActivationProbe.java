package io.dl4jdebug.measure;

import io.dl4jdebug.model.ActivationKind;
import io.dl4jdebug.model.LayerInfo;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountZero;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Condition;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Reduces one layer output to {@link ActivationStats} on the device; the scalars of one output reach the JVM in one
 * {@link HostReads host read} (a {@link ScalarBatch}).
 *
 * <p>Passes over the output: the per-feature means over the examples (whose mean is the mean) and an L2 norm
 * (standard deviation and, when both are finite, proof that no value is NaN or infinite), a zero count, dead units
 * (for ReLU-like layers, whose outputs are never negative, from the per-unit mean of the per-feature means; for
 * others one per-unit max-abs reduction); for bounded activations one count and one per-unit min-abs reduction for
 * saturation (a unit is saturated when its output is within 1 % of the range from either bound for every example);
 * for activation collapse, the output centred on its per-feature means and that difference's L2 norm: the root mean
 * square, over features, of the population standard deviation across the minibatch (two passes, so a spread far
 * below the values' scale is still measured exactly). Order-free counts and sums over a permuted view (DL4J's
 * convolution outputs) run over its dense buffer. Per-unit reductions produce one value per unit, reduced
 * again on the device. Every result goes into one small vector read once; only a non-finite output costs more reads
 * (its exact count, and dead units from a max-abs reduction since NaN means say nothing about zeros). All
 * temporaries are allocated outside DL4J's workspaces and closed right after that read, so that monitoring does not
 * raise the peak off-heap memory between garbage collections. Stateless and thread safe.
 */
public final class ActivationProbe implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Share of the output range next to a bound that counts as saturated. */
    public static final double SATURATION_MARGIN = 0.01;

    /** Value slots of a measurement's {@link ScalarBatch}. */
    private static final int MEAN = 0;
    private static final int NORM = 1;
    private static final int SPREAD = 2;
    /** Masked outputs: the number of real (unmasked) time steps or rows. */
    private static final int VALID = 3;
    private static final int VALUE_SLOTS = 4;
    /** Count slots. */
    private static final int ZEROS = 0;
    private static final int DEAD = 1;
    private static final int AT_BOUNDS = 2;
    private static final int SATURATED_UNITS = 3;
    private static final int COUNT_SLOTS = 4;

    private final transient ScalarBatch.Path path;

    /** A probe that reduces the way the backend does fastest ({@link ScalarBatch.Path#forBackend}). */
    public ActivationProbe() {
        this(ScalarBatch.Path.forBackend());
    }

    /**
     * @param path how L2 norms are reduced (tests run the device path on the CPU)
     */
    ActivationProbe(ScalarBatch.Path path) {
        this.path = path;
    }

    /**
     * Measures one output: every reduction writes into one {@link ScalarBatch}, read to the JVM once (one
     * {@link HostReads host read}); only when a value is NaN or infinite do the exact count and the dead-unit
     * reduction that does not rely on the means run after it.
     *
     * @param layer the layer that produced it
     * @param output its output array (any rank; dimension 0 is the minibatch)
     * @return the statistics
     */
    public ActivationStats measure(LayerInfo layer, INDArray output) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             ScalarBatch batch = batch(path == null ? ScalarBatch.Path.forBackend() : path).start()) {
            long n = output.length();
            if (n == 0) {
                return new ActivationStats(layer.name(), layer.activation(), 0, 0, 0, 0, 0, 0,
                        Saturation.notApplicable(), 0);
            }
            INDArray dense = DenseReductions.orderFree(output);
            long examples = output.rank() >= 2 ? output.size(0) : 0;
            // Per-feature means over the examples: their mean is the mean.
            INDArray featureMeans = examples >= 2 ? batch.temporary(output.mean(0)) : null;
            batch.value(MEAN, new Mean(featureMeans != null ? featureMeans : dense));
            batch.l2(NORM, output);
            // CountZero: the same exact-zero count as MatchCondition(equals(0)), about 15x faster on the CPU backend.
            batch.count(ZEROS, new CountZero(dense));

            int[] batchDims = batchDimensions(output.rank(), layer.unitAxis());
            boolean deadFromMeans = batchDims.length > 0 && layer.activationKind().canDie() && featureMeans != null;
            int units = batchDims.length == 0 ? 1 : deadUnits(batch, output, featureMeans, batchDims, deadFromMeans);
            boolean bounded = layer.activationKind().isBounded();
            if (bounded) {
                saturation(batch, layer.activationKind(), output, dense, batchDims);
            }
            if (featureMeans != null) {
                // The spread across examples, ||x - feature means|| / sqrt(n), is the root of the mean per-feature
                // (population) variance: one variance reduction over the examples, no centred copy of the output.
                batch.value(SPREAD, new Mean(batch.temporary(output.var(false, 0))));
            }

            double[] r = batch.read();
            double mean = r[MEAN];
            double norm2 = r[NORM];
            long nonFinite = NonFiniteProbe.countIfSuspicious(output, mean * n + norm2);
            double variance = Math.max(0, norm2 * norm2 / n - mean * mean);
            double zeroFraction = r[VALUE_SLOTS + ZEROS] / n;
            int dead;
            if (batchDims.length == 0) {
                dead = zeroFraction == 1.0 ? 1 : 0;
            } else if (deadFromMeans && nonFinite > 0) {
                // NaN means say nothing about exact zeros: one max-abs reduction per unit instead (one more read).
                dead = (int) countNow(batch, output.amax(batchDims), Conditions.equals(0));
            } else {
                dead = (int) r[VALUE_SLOTS + DEAD];
            }
            Saturation saturation = bounded
                    ? Saturation.measured(Math.min(1.0, r[VALUE_SLOTS + AT_BOUNDS] / n),
                            (int) r[VALUE_SLOTS + SATURATED_UNITS])
                    : Saturation.notApplicable();
            double exampleStd = 0;
            if (featureMeans != null && nonFinite == 0) {
                exampleStd = Math.sqrt(Math.max(0, r[SPREAD]));
            } else {
                examples = 0;
            }
            return new ActivationStats(layer.name(), layer.activation(), n, mean, Math.sqrt(variance), zeroFraction,
                    units, dead, saturation, nonFinite, examples, exampleStd);
        }
    }

    /**
     * Measures one output whose padded time steps are excluded: a recurrent output {@code [minibatch, units, time]}
     * (NCW, or {@code [minibatch, time, units]} for NWC) with its {@code [minibatch, time]} mask, or a
     * time-distributed 2-D output {@code [rows, units]} with its {@code [rows, 1]} mask. Per-unit statistics are over
     * the examples and the real time steps: a padded step never makes a unit dead or saturated and its values never
     * count as NaN or infinite. The padded values are replaced by 0 on the device with one select (NaN-safe, unlike
     * multiplying by the mask); the sums, counts and per-unit reductions then run over that array and, like
     * {@link #measure(LayerInfo, INDArray)}, reach the JVM in one host read. The spread across examples is not
     * measured on a masked output (examples of different lengths have no common positions to compare): activation
     * collapse is then judged on unmasked outputs only.
     *
     * @param layer  the layer that produced it
     * @param output its output
     * @param mask   1 for real steps (or rows), 0 for padding; null measures as {@link #measure(LayerInfo, INDArray)}
     * @return the statistics over the real steps
     */
    public ActivationStats measure(LayerInfo layer, INDArray output, INDArray mask) {
        if (mask == null || output.length() == 0) {
            return measure(layer, output);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             ScalarBatch batch = batch(path == null ? ScalarBatch.Path.forBackend() : path).start()) {
            INDArray keep = batch.temporary(MaskedOutputs.broadcastCondition(output, mask, layer.unitAxis()));
            INDArray zeros = batch.temporary(Nd4j.zeros(output.dataType(), output.shape()));
            INDArray masked = batch.temporary(MaskedOutputs.select(keep, output, zeros));
            long units = output.rank() == 3 ? output.size(layer.unitAxis() == 2 ? 2 : 1) : output.size(1);
            // Floating means (whose output may be double), scaled back to sums after the read.
            batch.value(VALID, new Mean(mask));
            batch.value(MEAN, new Mean(masked));
            batch.l2(NORM, masked);
            batch.count(ZEROS, new CountZero(masked));
            int[] batchDims = batchDimensions(output.rank(), layer.unitAxis());
            INDArray perUnitMax = batch.temporary(masked.amax(batchDims));
            batch.count(DEAD, new MatchCondition(perUnitMax, Conditions.equals(0)));
            boolean bounded = layer.activationKind().isBounded();
            if (bounded) {
                ActivationKind kind = layer.activationKind();
                double lower = kind.lowerBound().getAsDouble();
                double upper = kind.upperBound().getAsDouble();
                double center = (lower + upper) / 2;
                double threshold = (upper - lower) / 2 - SATURATION_MARGIN * (upper - lower);
                // Distance from the centre over real steps; padding is 0 for the value count (never at a bound)
                // and the threshold itself for the per-unit minimum (never keeps a unit from being saturated).
                INDArray distance = batch.temporary(center == 0 ? org.nd4j.linalg.ops.transforms.Transforms.abs(
                        masked, true) : org.nd4j.linalg.ops.transforms.Transforms.abs(output.sub(center), false));
                INDArray atBounds = center == 0 ? distance : batch.temporary(MaskedOutputs.select(keep, distance,
                        zeros));
                batch.count(AT_BOUNDS, new MatchCondition(atBounds, Conditions.greaterThanOrEqual(threshold)));
                INDArray neutral = batch.temporary(Nd4j.valueArrayOf(output.shape(), threshold, output.dataType()));
                INDArray forUnits = batch.temporary(MaskedOutputs.select(keep, distance, neutral));
                INDArray minPerUnit = batch.temporary(forUnits.min(batchDims));
                batch.count(SATURATED_UNITS, new MatchCondition(minPerUnit, Conditions.greaterThanOrEqual(threshold)));
            }
            double[] r = batch.read();
            long valid = Math.round(r[VALID] * mask.length());
            long n = valid * (output.rank() == 3 ? units : output.size(1));
            if (n == 0) {
                return new ActivationStats(layer.name(), layer.activation(), 0, 0, 0, 0, (int) units, 0,
                        bounded ? Saturation.measured(0, 0) : Saturation.notApplicable(), 0);
            }
            double sum = r[MEAN] * output.length();
            double norm2 = r[NORM];
            long nonFinite = NonFiniteProbe.countIfSuspicious(masked, sum + norm2);
            double mean = sum / n;
            double variance = Math.max(0, norm2 * norm2 / n - mean * mean);
            long padded = output.length() - n;
            double zeroFraction = Math.min(1.0, Math.max(0, r[VALUE_SLOTS + ZEROS] - padded) / n);
            int dead = (int) r[VALUE_SLOTS + DEAD];
            if (nonFinite > 0) {
                dead = 0;
            }
            Saturation saturation = bounded
                    ? Saturation.measured(Math.min(1.0, r[VALUE_SLOTS + AT_BOUNDS] / n),
                            (int) r[VALUE_SLOTS + SATURATED_UNITS])
                    : Saturation.notApplicable();
            return new ActivationStats(layer.name(), layer.activation(), n, mean, Math.sqrt(variance), zeroFraction,
                    (int) units, dead, saturation, nonFinite);
        }
    }

    /** @return this thread's batch for the path (made outside DL4J's workspaces, by the caller's scope) */
    private static ScalarBatch batch(ScalarBatch.Path path) {
        return ScalarBatch.forThread(path, VALUE_SLOTS, COUNT_SLOTS);
    }

    /**
     * Queues the dead-unit count: ReLU outputs are >= 0, so a unit is zero for every example and position exactly
     * when its mean is (the per-feature means are already there, which skips a reduction over the whole output);
     * other activations reduce the output to one max-abs per unit.
     *
     * @return the number of units
     */
    private static int deadUnits(ScalarBatch batch, INDArray output, INDArray featureMeans, int[] batchDims,
                                 boolean fromMeans) {
        INDArray perUnit = batch.temporary(fromMeans ? unitMeans(featureMeans, batchDims) : output.amax(batchDims));
        batch.count(DEAD, new MatchCondition(perUnit, Conditions.equals(0)));
        return (int) perUnit.length();
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

    /**
     * Queues the two saturation counts of a bounded activation: values within 1 % of the range from either bound,
     * and units whose every value is.
     */
    private static void saturation(ScalarBatch batch, ActivationKind kind, INDArray output, INDArray dense,
                                  int[] batchDims) {
        double lower = kind.lowerBound().getAsDouble();
        double upper = kind.upperBound().getAsDouble();
        double center = (lower + upper) / 2;
        double threshold = (upper - lower) / 2 - SATURATION_MARGIN * (upper - lower);
        // Distance from the centre of the range: saturated values are within 1 % of the range from either bound.
        INDArray centred = center == 0 ? output : batch.temporary(output.sub(center));
        batch.count(AT_BOUNDS, new MatchCondition(center == 0 ? dense : DenseReductions.orderFree(centred),
                Conditions.absGreaterThanOrEqual(threshold)));
        if (batchDims.length > 0) {
            INDArray minAbsPerUnit = batch.temporary(centred.amin(batchDims));
            batch.count(SATURATED_UNITS, new MatchCondition(minAbsPerUnit, Conditions.greaterThanOrEqual(threshold)));
        }
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

    /** Counts at once (one host read), for the rare path that runs after the batch was read. */
    private static long countNow(ScalarBatch batch, INDArray array, Condition condition) {
        batch.temporary(array);
        INDArray result = Nd4j.getExecutioner().exec(new MatchCondition(array, condition));
        HostReads.record();
        long value = result.getLong(0);
        result.close();
        return value;
    }
}
