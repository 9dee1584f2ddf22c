package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.cli.cifar.CifarLayout;
import io.dl4jdebug.cli.cifar.CifarSource;
import io.dl4jdebug.cli.cifar.SyntheticCifar;
import io.dl4jdebug.samples.gallery.GalleryData;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The examples the scenarios draw from: Fashion-MNIST through the gallery's {@link GalleryData}, and generated
 * images in CIFAR-10's layout ({@link SyntheticCifar}, {@value #CIFAR_TRAIN_PER_CLASS} training and
 * {@value #CIFAR_TEST_PER_CLASS} test images per class, generated once into a work directory) read by DL4J's own
 * {@code Cifar10DataSetIterator} at {@value #CIFAR_SIDE}x{@value #CIFAR_SIDE} pixels, values in [0, 1]. Every
 * accessor returns fresh copies. Not thread safe.
 */
public final class ScenarioData {

    /** Generated CIFAR-layout training images per class. */
    public static final int CIFAR_TRAIN_PER_CLASS = 26;
    /** Generated CIFAR-layout test images per class. */
    public static final int CIFAR_TEST_PER_CLASS = 13;

    /** Side of the CIFAR-layout images as read (DL4J's iterator scales the 32x32 files down: 4x less work). */
    public static final int CIFAR_SIDE = 16;

    private final GalleryData fashion;
    private final Path workDir;
    private final Path cifarBase;
    private DataSet cifarTrain;
    private DataSet cifarTest;

    /**
     * @param fashion the Fashion-MNIST examples (and the networks' seed)
     * @param workDir where the CIFAR-layout images are generated (reused when already there)
     */
    public ScenarioData(GalleryData fashion, Path workDir) {
        this.fashion = Objects.requireNonNull(fashion, "fashion must not be null");
        this.workDir = Objects.requireNonNull(workDir, "workDir must not be null");
        this.cifarBase = workDir
                .resolve("synthetic-cifar-" + CIFAR_TRAIN_PER_CLASS + "-" + CIFAR_TEST_PER_CLASS + "-" + fashion.seed());
    }

    /** @return the Fashion-MNIST examples */
    public GalleryData fashion() {
        return fashion;
    }

    /**
     * @param name a file name
     * @return that file in the work directory (created when missing), for files a scenario writes (a Keras .h5)
     */
    public Path workFile(String name) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory " + workDir, e);
        }
        return workDir.resolve(name);
    }

    /** @return the seed every network is built with */
    public long seed() {
        return fashion.seed();
    }

    /**
     * @param n how many (at most {@value #CIFAR_TRAIN_PER_CLASS} times 10)
     * @return the first n generated training images (classes mixed by DL4J's seeded shuffle), pixels in [0, 1]
     */
    public DataSet cifarTrain(int n) {
        if (cifarTrain == null) {
            cifarTrain = readCifar(true, CIFAR_TRAIN_PER_CLASS * CifarLayout.CLASSES.size());
        }
        return first(cifarTrain, n);
    }

    /**
     * @param n how many (at most {@value #CIFAR_TEST_PER_CLASS} times 10)
     * @return the first n generated test images, pixels in [0, 1]
     */
    public DataSet cifarTest(int n) {
        if (cifarTest == null) {
            cifarTest = readCifar(false, CIFAR_TEST_PER_CLASS * CifarLayout.CLASSES.size());
        }
        return first(cifarTest, n);
    }

    private DataSet readCifar(boolean train, int examples) {
        if (!Files.isDirectory(CifarLayout.datasetDir(cifarBase).resolve("test"))) {
            SyntheticCifar.generate(cifarBase, CIFAR_TRAIN_PER_CLASS, CIFAR_TEST_PER_CLASS, seed());
        }
        DataSetIterator it = new CifarSource.Prepared(cifarBase, CifarSource.Origin.SYNTHETIC)
                .read(train, examples, 64, seed(), CIFAR_SIDE);
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next());
        }
        return DataSet.merge(batches);
    }

    private static DataSet first(DataSet all, int n) {
        if (n < 1 || n > all.numExamples()) {
            throw new IllegalArgumentException("asked for " + n + " CIFAR-layout images, " + all.numExamples()
                    + " are generated");
        }
        DataSet copy = (DataSet) all.getRange(0, n);
        return new DataSet(copy.getFeatures().dup(), copy.getLabels().dup());
    }
}
