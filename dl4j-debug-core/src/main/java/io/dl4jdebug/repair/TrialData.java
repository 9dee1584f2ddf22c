package io.dl4jdebug.repair;

import io.dl4jdebug.diagnose.Remedy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The data the copies of a network see: the training minibatches (cycled) and the held-out examples they are
 * compared on, never trained on. A remedy of the data ({@link Remedy.Kind#NORMALIZE_INPUT},
 * {@link Remedy.Kind#SET_BATCH_SIZE}) gets its own view through {@link #forRemedy(Remedy)}. Immutable.
 *
 * @param train   training minibatches, in the order read
 * @param heldOut the held-out examples, one DataSet
 * @param source  where the held-out examples came from, for the report
 */
record TrialData(List<DataSet> train, DataSet heldOut, String source) {

    /** Validates the fields and copies the list. */
    TrialData {
        train = List.copyOf(train);
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(source, "source");
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the verification needs at least one training minibatch");
        }
    }

    /**
     * Holds back the last {@code min(maxHeldOut, max(1, n / 4))} of n minibatches; a single minibatch gives its last
     * quarter of examples (at least one).
     *
     * @param batches    the minibatches read
     * @param maxHeldOut at most this many minibatches are held back
     * @return the split
     * @throws IllegalArgumentException when there are fewer than 2 examples
     */
    static TrialData split(List<DataSet> batches, int maxHeldOut) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("the verification data has no examples");
        }
        int n = batches.size();
        if (n >= 2) {
            int h = Math.min(maxHeldOut, Math.max(1, n / 4));
            return new TrialData(batches.subList(0, n - h), DataSet.merge(batches.subList(n - h, n)),
                    "the last " + h + " of the " + n + " minibatches read, held back from training");
        }
        DataSet only = batches.get(0);
        int examples = only.numExamples();
        if (examples < 2) {
            throw new IllegalArgumentException("the verification data has " + examples + " example; at least 2 are "
                    + "needed to hold some back from training (or pass validation data)");
        }
        int h = Math.max(1, examples / 4);
        return new TrialData(List.of(rows(only, 0, examples - h)), rows(only, examples - h, examples),
                "the last " + h + " of the " + examples + " examples of the only minibatch, held back from training");
    }

    private static DataSet rows(DataSet d, int from, int to) {
        return new DataSet(slice(d.getFeatures(), from, to), slice(d.getLabels(), from, to),
                slice(d.getFeaturesMaskArray(), from, to), slice(d.getLabelsMaskArray(), from, to));
    }

    private static INDArray slice(INDArray a, int from, int to) {
        return a == null ? null : a.get(NDArrayIndex.interval(from, to)).dup();
    }

    /**
     * @param remedy the remedy a copy trains with, null for the unchanged copy
     * @return the data that copy sees: standardised features (the normalizer fitted on the training minibatches
     *         only, applied to the held-out examples too) or minibatches of another size; else this
     */
    TrialData forRemedy(Remedy remedy) {
        if (remedy == null) {
            return this;
        }
        return switch (remedy.kind()) {
            case NORMALIZE_INPUT -> standardised();
            case SET_BATCH_SIZE -> rebatched(remedy.value());
            default -> this;
        };
    }

    private TrialData standardised() {
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(DataSet.merge(train));
        List<DataSet> out = new ArrayList<>();
        for (DataSet b : train) {
            DataSet c = b.copy();
            norm.preProcess(c);
            out.add(c);
        }
        DataSet held = heldOut.copy();
        norm.preProcess(held);
        return new TrialData(out, held, source);
    }

    private TrialData rebatched(double size) {
        if (!(size >= 1) || size != Math.rint(size)) {
            throw new IllegalArgumentException("SET_BATCH_SIZE value must be a whole number >= 1 but was " + size);
        }
        DataSet all = DataSet.merge(train);
        int n = all.numExamples();
        int b = (int) Math.min(size, n);
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < n; from += b) {
            out.add(rows(all, from, Math.min(n, from + b)));
        }
        return new TrialData(out, heldOut, source);
    }

    /**
     * @param seed the order's seed (a java.util.Random, never ND4J's generator)
     * @return the training minibatches in another order
     */
    List<DataSet> shuffled(long seed) {
        List<DataSet> out = new ArrayList<>(train);
        Collections.shuffle(out, new Random(seed));
        return out;
    }
}
