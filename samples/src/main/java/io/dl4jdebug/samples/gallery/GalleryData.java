package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Random;

/**
 * Fashion-MNIST examples for the gallery, read once: the first {@value #TRAIN_MAX} training and the first
 * {@value #TEST_MAX} test examples, pixels scaled to [0, 1], and the seed of the samples' networks. Every accessor returns fresh copies, so a sample may
 * modify what it gets. Not thread safe.
 */
public final class GalleryData {

    /** Training examples read. */
    public static final int TRAIN_MAX = 2048;
    /** Test examples read. */
    public static final int TEST_MAX = 1024;

    /** The seed of every gallery network unless one is given. */
    public static final long DEFAULT_SEED = 42;

    private final Path directory;
    private final long seed;
    private final boolean shuffled;
    private DataSet train;
    private DataSet test;

    /**
     * @param directory the directory of the Fashion-MNIST IDX files
     */
    public GalleryData(Path directory) {
        this(directory, DEFAULT_SEED);
    }

    /**
     * @param directory the directory of the Fashion-MNIST IDX files
     * @param seed      the seed the samples give their networks
     */
    public GalleryData(Path directory, long seed) {
        this(directory, seed, false);
    }

    private GalleryData(Path directory, long seed, boolean shuffled) {
        this.directory = Objects.requireNonNull(directory, "directory must not be null");
        this.seed = seed;
        this.shuffled = shuffled;
    }

    /**
     * Data whose sample depends on the seed: the {@value #TRAIN_MAX} training and {@value #TEST_MAX} test examples
     * read are shuffled with the seed, so {@link #train(int)} and {@link #test(int)} return a different sample (and
     * order) for every seed; the networks get the same seed.
     *
     * @param directory the directory of the Fashion-MNIST IDX files
     * @param seed      the seed of the shuffle and of the networks
     * @return the data
     */
    public static GalleryData sampled(Path directory, long seed) {
        return new GalleryData(directory, seed, true);
    }

    /** @return data from Debian's default location, networks seeded with {@value #DEFAULT_SEED} */
    public static GalleryData fromDefaultDirectory() {
        return new GalleryData(FashionMnist.defaultDirectory());
    }

    /** @return the seed the samples give their networks */
    public long seed() {
        return seed;
    }

    /** @return where the files are read from */
    public Path directory() {
        return directory;
    }

    /**
     * @param n how many (at most {@value #TRAIN_MAX})
     * @return the first n training examples, pixels in [0, 1]
     */
    public DataSet train(int n) {
        if (train == null) {
            train = shuffle(FashionMnist.load(directory, FashionMnist.Split.TRAIN, TRAIN_MAX, true));
        }
        return range(train, 0, n);
    }

    /**
     * @param n how many (at most {@value #TEST_MAX})
     * @return the first n test examples, pixels in [0, 1] (never seen in training)
     */
    public DataSet test(int n) {
        if (test == null) {
            test = shuffle(FashionMnist.load(directory, FashionMnist.Split.TEST, TEST_MAX, true));
        }
        return range(test, 0, n);
    }

    private DataSet shuffle(DataSet data) {
        if (!shuffled) {
            return data;
        }
        int n = data.numExamples();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new DataSet(Nd4j.pullRows(data.getFeatures(), 1, order),
                Nd4j.pullRows(data.getLabels(), 1, order));
    }

    /**
     * @param data a dataset
     * @param from first example (inclusive)
     * @param to   last example (exclusive)
     * @return a copy of the examples in [from, to)
     */
    static DataSet range(DataSet data, int from, int to) {
        if (from < 0 || to > data.numExamples() || from >= to) {
            throw new IllegalArgumentException("examples [" + from + ", " + to + ") are not within the "
                    + data.numExamples() + " available");
        }
        return new DataSet(data.getFeatures().get(NDArrayIndex.interval(from, to)).dup(),
                data.getLabels().get(NDArrayIndex.interval(from, to)).dup());
    }
}
