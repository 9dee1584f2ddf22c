package io.dl4jdebug.preflight.check;

import io.dl4jdebug.measure.NonFiniteProbe;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * Statistics of the first minibatches of an iterator, reduced on the device batch by batch: counts, non-finite
 * values, feature moments, label range, row sums and class mass, and (for the leakage check) two random projections
 * per example. Not thread safe.
 */
final class DataScan {

    long batches;
    long examples;
    long featureValues;
    long featuresPerExample = -1;
    long nonFiniteFeatures;
    long nonFiniteLabels;
    long scaleValues;
    double sum;
    double sumSquares;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double labelMin = Double.POSITIVE_INFINITY;
    double labelMax = Double.NEGATIVE_INFINITY;
    long labelRows;
    long labelRowsNotSummingToOne;
    long nonIntegerLabels;
    long labelColumns = -1;
    boolean labelsMasked;
    double[] classMass;
    DataSet first;
    boolean resetSupported;
    RuntimeException error;
    final List<double[]> projections = new ArrayList<>();

    /** Two fixed random directions in feature space, shared by the scans of the training and validation sets. */
    static final class Projector {
        private final long seed;
        private INDArray directions;

        Projector(long seed) {
            this.seed = seed;
        }

        /** @return the [examples, 2] projections of a [examples, ...] batch, or null when the width differs */
        double[][] project(INDArray features, long perExample) {
            if (directions == null) {
                directions = Nd4j.randn(seed, new long[]{perExample, 2}).castTo(DataType.DOUBLE);
            } else if (directions.size(0) != perExample) {
                return null;
            }
            INDArray flat = features.castTo(DataType.DOUBLE).reshape(features.size(0), perExample);
            return flat.mmul(directions).toDoubleMatrix();
        }
    }

    static DataScan scan(DataSetIterator iterator, int maxBatches, double labelTolerance, Projector projector) {
        DataScan s = new DataScan();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            s.resetSupported = iterator.resetSupported();
            if (s.resetSupported) {
                iterator.reset();
            }
            while (s.batches < maxBatches && iterator.hasNext()) {
                DataSet batch = iterator.next();
                if (batch == null || batch.getFeatures() == null) {
                    continue;
                }
                s.add(batch, labelTolerance, projector);
            }
            if (s.resetSupported) {
                iterator.reset();
            }
        } catch (RuntimeException e) {
            s.error = e;
        }
        return s;
    }

    private void add(DataSet batch, double labelTolerance, Projector projector) {
        INDArray f = batch.getFeatures();
        INDArray l = batch.getLabels();
        long n = f.size(0);
        if (first == null) {
            first = new DataSet(f.dup(), l == null ? null : l.dup(),
                    batch.getFeaturesMaskArray() == null ? null : batch.getFeaturesMaskArray().dup(),
                    batch.getLabelsMaskArray() == null ? null : batch.getLabelsMaskArray().dup());
            featuresPerExample = n == 0 ? 0 : f.length() / n;
        }
        batches++;
        examples += n;
        featureValues += f.length();
        long bad = NonFiniteProbe.count(f);
        nonFiniteFeatures += bad;
        if (bad == 0 && f.length() > 0) {
            sum += f.sumNumber().doubleValue();
            double norm = f.norm2Number().doubleValue();
            sumSquares += norm * norm;
            min = Math.min(min, f.minNumber().doubleValue());
            max = Math.max(max, f.maxNumber().doubleValue());
            scaleValues += f.length();
            if (projector != null && featuresPerExample == f.length() / Math.max(1, n)) {
                double[][] p = projector.project(f, featuresPerExample);
                if (p != null) {
                    projections.addAll(List.of(p));
                }
            }
        }
        if (l != null) {
            addLabels(l, batch.getLabelsMaskArray() != null, labelTolerance);
        }
    }

    private void addLabels(INDArray labels, boolean masked, double labelTolerance) {
        long bad = NonFiniteProbe.count(labels);
        nonFiniteLabels += bad;
        if (bad > 0) {
            return;
        }
        INDArray rows = labels;
        if (labels.rank() == 3) {
            rows = labels.permute(0, 2, 1).dup().reshape(labels.size(0) * labels.size(2), labels.size(1));
        } else if (labels.rank() != 2) {
            rows = labels.reshape(labels.size(0), labels.length() / labels.size(0));
        }
        labelsMasked |= masked;
        labelColumns = rows.size(1);
        labelRows += rows.size(0);
        labelMin = Math.min(labelMin, rows.minNumber().doubleValue());
        labelMax = Math.max(labelMax, rows.maxNumber().doubleValue());
        INDArray offByRow = rows.sum(1).subi(1.0);
        labelRowsNotSummingToOne += Nd4j.getExecutioner()
                .exec(new MatchCondition(offByRow, Conditions.absGreaterThan(labelTolerance))).getLong(0);
        INDArray fractional = rows.sub(Transforms.floor(rows, true));
        nonIntegerLabels += Nd4j.getExecutioner()
                .exec(new MatchCondition(fractional, Conditions.absGreaterThan(labelTolerance))).getLong(0);
        double[] mass = rows.sum(0).toDoubleVector();
        if (classMass == null || classMass.length != mass.length) {
            classMass = new double[mass.length];
        }
        for (int i = 0; i < mass.length; i++) {
            classMass[i] += mass[i];
        }
    }

    double mean() {
        return scaleValues == 0 ? 0 : sum / scaleValues;
    }

    double std() {
        if (scaleValues == 0) {
            return 0;
        }
        double m = mean();
        return Math.sqrt(Math.max(0, sumSquares / scaleValues - m * m));
    }
}
