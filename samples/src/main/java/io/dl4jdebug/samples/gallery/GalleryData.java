package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.Objects;

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
        this.directory = Objects.requireNonNull(directory, "directory must not be null");
        this.seed = seed;
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
            train = FashionMnist.load(directory, FashionMnist.Split.TRAIN, TRAIN_MAX, true);
        }
        return range(train, 0, n);
    }

    /**
     * @param n how many (at most {@value #TEST_MAX})
     * @return the first n test examples, pixels in [0, 1] (never seen in training)
     */
    public DataSet test(int n) {
        if (test == null) {
            test = FashionMnist.load(directory, FashionMnist.Split.TEST, TEST_MAX, true);
        }
        return range(test, 0, n);
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
