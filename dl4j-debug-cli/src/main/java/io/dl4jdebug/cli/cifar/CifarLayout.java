package io.dl4jdebug.cli.cifar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The on-disk layout that DL4J's {@code Cifar10DataSetIterator} reads (its {@code Cifar10Fetcher}):
 * {@code <base>/data/cifar10/train/<class>/<image>.png}, {@code <base>/data/cifar10/test/<class>/<image>.png} and
 * {@code <base>/data/cifar10/labels.txt} (one "class TAB name" line per class), where {@code <base>} is DL4J's
 * resource directory ({@code DL4JResources.setBaseDirectory}, {@code ~/.deeplearning4j} by default). Stateless.
 */
public final class CifarLayout {

    /** Folder under the base directory ({@code Cifar10Fetcher.LOCAL_CACHE_NAME}). */
    public static final String CACHE_NAME = "cifar10";
    /** The label file ({@code Cifar10Fetcher.LABELS_FILENAME}). */
    public static final String LABELS_FILE = "labels.txt";
    /** CIFAR-10's classes, in the order of the binary files' label bytes. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    /** Image side in pixels. */
    public static final int SIDE = 32;

    private CifarLayout() {
    }

    /**
     * @param base DL4J's resource base directory
     * @return the dataset folder inside it
     */
    public static Path datasetDir(Path base) {
        return base.resolve("data").resolve(CACHE_NAME);
    }

    /**
     * @param base  DL4J's resource base directory
     * @param train true for the training split
     * @param label class index
     * @return the folder of that class's images
     */
    public static Path classDir(Path base, boolean train, int label) {
        return datasetDir(base).resolve(train ? "train" : "test").resolve(CLASSES.get(label));
    }

    /**
     * Writes DL4J's label file (one "name TAB name" line per class, in class-index order).
     *
     * @param base DL4J's resource base directory whose dataset folder exists
     * @throws IOException when it cannot be written
     */
    public static void writeLabels(Path base) throws IOException {
        StringBuilder labels = new StringBuilder();
        for (String c : CLASSES) {
            labels.append(c).append('\t').append(c).append('\n');
        }
        Files.writeString(datasetDir(base).resolve(LABELS_FILE), labels, StandardCharsets.UTF_8);
    }
}
