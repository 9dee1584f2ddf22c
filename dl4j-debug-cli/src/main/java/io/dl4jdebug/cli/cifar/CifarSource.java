package io.dl4jdebug.cli.cifar;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.fetchers.DataSetType;
import org.deeplearning4j.datasets.iterator.impl.Cifar10DataSetIterator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Decides where CIFAR-10 comes from and reads it through DL4J's own {@link Cifar10DataSetIterator}: a directory the
 * user names (the binary distribution, converted once, or a folder already in DL4J's layout), DL4J's cache,
 * DL4J's download when the network answers, or else generated images in the same layout (announced loudly).
 * Not thread safe: DL4J's resource directory is global state.
 */
public final class CifarSource {

    private static final Logger LOG = LoggerFactory.getLogger(CifarSource.class);

    /** Where the images came from. */
    public enum Origin {
        /** A folder in DL4J's layout (DL4J's cache or one the user named). */
        DL4J_LAYOUT,
        /** The standard cifar-10-batches-bin files, converted to DL4J's layout. */
        CONVERTED_BINARY,
        /** DL4J's own download of CIFAR-10. */
        DOWNLOADED,
        /** Generated images with class-dependent structure: not CIFAR-10. */
        SYNTHETIC
    }

    /**
     * A prepared source.
     *
     * @param base   DL4J's resource base directory holding {@code data/cifar10/}
     * @param origin where the images came from
     */
    public record Prepared(Path base, Origin origin) {
        /** Validates the fields. */
        public Prepared {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(origin, "origin");
        }

        /** @return true when the images are generated, not CIFAR-10 */
        public boolean synthetic() {
            return origin == Origin.SYNTHETIC;
        }

        /**
         * Reads examples through DL4J's {@link Cifar10DataSetIterator}, pixels scaled to [0, 1].
         *
         * @param train    true for the training split
         * @param examples how many examples (fewer when the split has fewer)
         * @param batch    minibatch size
         * @param seed     seed of DL4J's file shuffling
         * @return an in-memory iterator over them (resettable, same order every epoch)
         */
        public DataSetIterator read(boolean train, int examples, int batch, long seed) {
            return read(train, examples, batch, seed, CifarLayout.SIDE);
        }

        /**
         * Reads examples through DL4J's {@link Cifar10DataSetIterator}, scaled by it to {@code side} x {@code side}
         * pixels, pixel values scaled to [0, 1].
         *
         * @param train    true for the training split
         * @param examples how many examples (fewer when the split has fewer)
         * @param batch    minibatch size
         * @param seed     seed of DL4J's file shuffling
         * @param side     height and width of the images returned
         * @return an in-memory iterator over them (resettable, same order every epoch)
         */
        public DataSetIterator read(boolean train, int examples, int batch, long seed, int side) {
            DL4JResources.setBaseDirectory(base.toFile());
            Cifar10DataSetIterator it = new Cifar10DataSetIterator(batch, new int[] {side, side},
                    train ? DataSetType.TRAIN : DataSetType.TEST, null, seed);
            it.setPreProcessor(new ImagePreProcessingScaler(0, 1));
            List<DataSet> batches = new ArrayList<>();
            int read = 0;
            while (read < examples && it.hasNext()) {
                DataSet ds = it.next();
                batches.add(ds);
                read += ds.numExamples();
            }
            if (batches.isEmpty()) {
                throw new IllegalStateException("no CIFAR-10 images under " + CifarLayout.datasetDir(base)
                        + (train ? "/train" : "/test"));
            }
            return new ListDataSetIterator<>(batches, 1);
        }
    }

    private CifarSource() {
    }

    /**
     * @param dataDir       a directory the user named, or null
     * @param workDir       where converted or generated images go
     * @param allowDownload whether DL4J may download CIFAR-10 when the network answers
     * @param trainPerClass generated training images per class, when generation is needed
     * @param testPerClass  generated test images per class, when generation is needed
     * @param seed          seed of the generated images
     * @return the prepared source
     * @throws NoCifarDataException when {@code dataDir} holds neither layout
     */
    public static Prepared prepare(Path dataDir, Path workDir, boolean allowDownload, int trainPerClass,
                                   int testPerClass, long seed) {
        try {
            if (dataDir != null) {
                return fromUserDirectory(dataDir, workDir);
            }
            Path cache = Paths.get(System.getProperty("user.home"), ".deeplearning4j");
            if (hasImages(CifarLayout.datasetDir(cache).resolve("train"))) {
                return new Prepared(cache, Origin.DL4J_LAYOUT);
            }
            if (allowDownload && reachable(DL4JResources.getURLString("datasets/cifar10_dl4j.v1.zip"))) {
                return new Prepared(cache, Origin.DOWNLOADED);
            }
            Path synthetic = workDir.resolve("synthetic-" + trainPerClass + "-" + testPerClass + "-" + seed);
            if (!hasImages(CifarLayout.datasetDir(synthetic).resolve("test"))) {
                SyntheticCifar.generate(synthetic, trainPerClass, testPerClass, seed);
            }
            LOG.warn("CIFAR-10 is not available here (no --data-dir, no DL4J cache, no network): using GENERATED "
                    + "images in CIFAR-10's layout under {}. They are NOT CIFAR-10.", synthetic);
            return new Prepared(synthetic, Origin.SYNTHETIC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Prepared fromUserDirectory(Path dataDir, Path workDir) throws IOException {
        if (CifarBinaryConverter.looksLikeBinaryDistribution(dataDir)) {
            Path converted = workDir.resolve("converted");
            if (!hasImages(CifarLayout.datasetDir(converted).resolve("test"))) {
                LOG.info("Converting {} to DL4J's CIFAR-10 layout under {} (once)", dataDir, converted);
                CifarBinaryConverter.convert(dataDir, converted);
            }
            return new Prepared(converted, Origin.CONVERTED_BINARY);
        }
        if (hasImages(CifarLayout.datasetDir(dataDir).resolve("train"))) {
            return new Prepared(dataDir, Origin.DL4J_LAYOUT);
        }
        if (dataDir.getFileName() != null && dataDir.getFileName().toString().equals(CifarLayout.CACHE_NAME)
                && hasImages(dataDir.resolve("train")) && dataDir.getParent() != null
                && dataDir.getParent().getParent() != null) {
            return new Prepared(dataDir.getParent().getParent(), Origin.DL4J_LAYOUT);
        }
        throw new NoCifarDataException(dataDir);
    }

    private static boolean hasImages(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.anyMatch(p -> p.toString().endsWith(".png"));
        }
    }

    private static boolean reachable(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestMethod("HEAD");
            c.setConnectTimeout(3000);
            c.setReadTimeout(3000);
            int code = c.getResponseCode();
            c.disconnect();
            return code >= 200 && code < 400;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
