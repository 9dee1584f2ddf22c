package io.dl4jdebug.cli.cifar;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Converts the standard {@code cifar-10-batches-bin} files (records of 3073 bytes: a label byte, then 1024 red,
 * 1024 green and 1024 blue bytes) into {@link CifarLayout}, once, so that DL4J's own iterator reads them.
 * Stateless.
 */
public final class CifarBinaryConverter {

    /** The training files of the binary distribution. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** The test file of the binary distribution. */
    public static final String TEST_FILE = "test_batch.bin";
    private static final int RECORD = 1 + 3 * 1024;

    private CifarBinaryConverter() {
    }

    /**
     * @param dir a directory
     * @return true when it holds the binary distribution's test file and at least one training file
     */
    public static boolean looksLikeBinaryDistribution(Path dir) {
        return Files.isRegularFile(dir.resolve(TEST_FILE))
                && TRAIN_FILES.stream().anyMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /**
     * @param binDir the {@code cifar-10-batches-bin} directory
     * @param base   DL4J's resource base directory to fill
     * @return the number of images written
     * @throws IOException when a file cannot be read or written
     * @throws IllegalArgumentException when {@code binDir} is not the binary distribution
     */
    public static int convert(Path binDir, Path base) throws IOException {
        if (!looksLikeBinaryDistribution(binDir)) {
            throw new IllegalArgumentException(binDir + " is not the CIFAR-10 binary distribution: expected "
                    + TEST_FILE + " and data_batch_1.bin .. data_batch_5.bin (cifar-10-batches-bin)");
        }
        int written = 0;
        for (String f : TRAIN_FILES) {
            if (Files.isRegularFile(binDir.resolve(f))) {
                written += convertFile(binDir.resolve(f), base, true, written);
            }
        }
        written += convertFile(binDir.resolve(TEST_FILE), base, false, written);
        CifarLayout.writeLabels(base);
        return written;
    }

    private static int convertFile(Path file, Path base, boolean train, int offset) throws IOException {
        byte[] record = new byte[RECORD];
        int count = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            while (true) {
                try {
                    in.readFully(record);
                } catch (EOFException e) {
                    break;
                }
                int label = record[0] & 0xFF;
                if (label >= CifarLayout.CLASSES.size()) {
                    throw new IOException(file + ": label " + label + " of record " + count + " is not in 0..9");
                }
                Path dir = CifarLayout.classDir(base, train, label);
                Files.createDirectories(dir);
                ImageIO.write(toImage(record), "png", dir.resolve(String.format("%06d.png", offset + count))
                        .toFile());
                count++;
            }
        }
        return count;
    }

    private static BufferedImage toImage(byte[] record) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 1024; i++) {
            int r = record[1 + i] & 0xFF;
            int g = record[1 + 1024 + i] & 0xFF;
            int b = record[1 + 2048 + i] & 0xFF;
            img.setRGB(i % 32, i / 32, (r << 16) | (g << 8) | b);
        }
        return img;
    }
}
