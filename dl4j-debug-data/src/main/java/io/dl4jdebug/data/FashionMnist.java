package io.dl4jdebug.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Loads Fashion-MNIST from its IDX files, as installed by Debian's {@code dataset-fashion-mnist} package in
 * {@value #DEFAULT_DIRECTORY}, into a DL4J {@link DataSet}: features {@code [n, 784]} (pixels scaled to [0, 1], or raw
 * 0..255 on request), labels one-hot {@code [n, 10]}. Stateless and thread safe.
 */
public final class FashionMnist {

    /** Where Debian's dataset-fashion-mnist package installs the files. */
    public static final String DEFAULT_DIRECTORY = "/usr/share/datasets/fashion-mnist";
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Pixels per image (28 x 28). */
    public static final int PIXELS = 784;
    /** The class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String ADVICE = "Install Debian's package with 'apt-get install -y dataset-fashion-mnist' "
            + "(files in " + DEFAULT_DIRECTORY + ") or pass the directory that holds "
            + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
            + "t10k-labels-idx1-ubyte.gz (gzip-compressed or not).";

    /** Which of the two files sets to read. */
    public enum Split {
        /** The 60,000 training images. */
        TRAIN("train"),
        /** The 10,000 test images. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private FashionMnist() {
    }

    /** @return the default directory */
    public static Path defaultDirectory() {
        return Paths.get(DEFAULT_DIRECTORY);
    }

    /** @return true when the default directory holds the training files */
    public static boolean isInstalled() {
        return locate(defaultDirectory(), Split.TRAIN, "images-idx3-ubyte") != null;
    }

    /**
     * Loads the first {@code limit} examples of a split from the default directory, pixels scaled to [0, 1].
     *
     * @param split which split
     * @param limit the most examples to load
     * @return the examples
     * @throws MissingDataException when the files are missing (the message says how to install them)
     */
    public static DataSet load(Split split, int limit) {
        return load(defaultDirectory(), split, limit, true);
    }

    /**
     * Loads the first {@code limit} examples of a split.
     *
     * @param directory the directory holding the IDX files
     * @param split     which split
     * @param limit     the most examples to load
     * @param scale     true to scale pixels to [0, 1], false to keep raw 0..255 values
     * @return the examples
     * @throws MissingDataException when a file is missing or unreadable (the message names it)
     */
    public static DataSet load(Path directory, Split split, int limit, boolean scale) {
        Path images = require(directory, split, "images-idx3-ubyte");
        Path labels = require(directory, split, "labels-idx1-ubyte");
        IdxReader.IdxArray img;
        IdxReader.IdxArray lab;
        try {
            img = IdxReader.read(images, limit);
            lab = IdxReader.read(labels, limit);
        } catch (IOException e) {
            throw new MissingDataException(images, ADVICE, e);
        }
        if (img.items() != lab.items() || img.itemSize() != PIXELS) {
            throw new MissingDataException(images, "Images and labels do not match: " + img.items() + " images of "
                    + img.itemSize() + " pixels, " + lab.items() + " labels. " + ADVICE, null);
        }
        int n = img.items();
        float[] pixels = new float[n * PIXELS];
        float factor = scale ? 1f / 255f : 1f;
        byte[] data = img.data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (data[i] & 0xFF) * factor;
        }
        float[] oneHot = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            int label = lab.data()[i] & 0xFF;
            if (label >= CLASSES) {
                throw new MissingDataException(labels, "Label " + label + " at example " + i
                        + " is outside 0..9: the file is not Fashion-MNIST.", null);
            }
            oneHot[i * CLASSES + label] = 1f;
        }
        INDArray features = Nd4j.create(pixels, new long[] {n, PIXELS}, DataType.FLOAT);
        INDArray labelArray = Nd4j.create(oneHot, new long[] {n, CLASSES}, DataType.FLOAT);
        return new DataSet(features, labelArray);
    }

    /** Rows of a Fashion-MNIST image: the time steps when an image is read as a sequence. */
    public static final int ROWS = 28;
    /** Columns of a Fashion-MNIST image: the features of each time step when an image is read as a sequence. */
    public static final int COLUMNS = 28;

    /**
     * Views images as sequences, the standard way DL4J's recurrent examples read MNIST: each image row is one time
     * step of 28 pixel values. The result is DL4J's recurrent layout NCW, {@code [examples, 28 features, 28 steps]};
     * labels stay one-hot per example {@code [examples, 10]}, for a network that ends in {@code LastTimeStep} or a
     * global pooling layer before its output layer.
     *
     * @param flat examples as {@link #load} returns them, features {@code [examples, 784]}
     * @return a new data set with sequence features and the same labels
     * @throws IllegalArgumentException when the features are not {@code [examples, 784]}
     */
    public static DataSet asSequences(DataSet flat) {
        INDArray features = flat.getFeatures();
        if (features.rank() != 2 || features.size(1) != PIXELS) {
            throw new IllegalArgumentException("asSequences needs features [examples, " + PIXELS + "], got "
                    + java.util.Arrays.toString(features.shape()));
        }
        long n = features.size(0);
        // [n, 784] -> [n, rows, columns] -> NCW [n, columns (features), rows (time)]
        INDArray sequences = features.reshape('c', n, ROWS, COLUMNS).permute(0, 2, 1).dup('c');
        return new DataSet(sequences, flat.getLabels());
    }

    private static Path require(Path directory, Split split, String suffix) {
        Path found = locate(directory, split, suffix);
        if (found == null) {
            throw new MissingDataException(directory.resolve(split.prefix + "-" + suffix + ".gz"), ADVICE, null);
        }
        return found;
    }

    private static Path locate(Path directory, Split split, String suffix) {
        for (String name : new String[] {split.prefix + "-" + suffix + ".gz", split.prefix + "-" + suffix}) {
            Path p = directory.resolve(name);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }
}
