package io.dl4jdebug.cli.cifar;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Generates CIFAR-10-shaped PNG images in {@link CifarLayout}, for machines that cannot download CIFAR-10: each class
 * has its own colour and stripe orientation and frequency, blurred by random phase, brightness and pixel noise, so a
 * small ResNet can learn it but not instantly. Deterministic for a seed. Stateless.
 */
public final class SyntheticCifar {

    private SyntheticCifar() {
    }

    /**
     * Writes the images (replacing nothing that exists: call on an empty or new base directory).
     *
     * @param base          DL4J's resource base directory to fill
     * @param trainPerClass training images per class
     * @param testPerClass  test images per class
     * @param seed          random seed
     * @return the dataset folder
     */
    public static Path generate(Path base, int trainPerClass, int testPerClass, long seed) {
        if (trainPerClass < 1 || testPerClass < 1) {
            throw new IllegalArgumentException("need at least one image per class and split, got trainPerClass="
                    + trainPerClass + ", testPerClass=" + testPerClass);
        }
        Random random = new Random(seed);
        try {
            for (int label = 0; label < CifarLayout.CLASSES.size(); label++) {
                write(base, true, label, trainPerClass, random);
                write(base, false, label, testPerClass, random);
            }
            CifarLayout.writeLabels(base);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic CIFAR-10 images under " + base, e);
        }
        return CifarLayout.datasetDir(base);
    }

    private static void write(Path base, boolean train, int label, int count, Random random) throws IOException {
        Path dir = CifarLayout.classDir(base, train, label);
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            ImageIO.write(image(label, random), "png", dir.resolve(String.format("%05d.png", i)).toFile());
        }
    }

    /**
     * @param label  class index 0..9
     * @param random randomness for phase, brightness and noise
     * @return one 32x32 RGB image of that class
     */
    static BufferedImage image(int label, Random random) {
        int side = CifarLayout.SIDE;
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        double angle = Math.PI * (label % 5) / 5;
        double frequency = label < 5 ? 0.35 : 0.7;
        float hue = label / 10f;
        java.awt.Color base = java.awt.Color.getHSBColor(hue, 0.8f, 0.9f);
        double phase = random.nextDouble() * 2 * Math.PI;
        double brightness = 0.7 + 0.3 * random.nextDouble();
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double stripe = 0.5 + 0.5 * Math.sin(frequency * (x * cos + y * sin) + phase);
                int r = channel(base.getRed(), stripe, brightness, random);
                int g = channel(base.getGreen(), stripe, brightness, random);
                int b = channel(base.getBlue(), stripe, brightness, random);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int channel(int base, double stripe, double brightness, Random random) {
        double v = base * (0.35 + 0.65 * stripe) * brightness + random.nextGaussian() * 28;
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
