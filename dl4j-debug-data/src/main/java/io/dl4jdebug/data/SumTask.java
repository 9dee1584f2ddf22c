package io.dl4jdebug.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * A small generated sequence task for recurrent networks: each example is a sequence of one feature, values uniform
 * in [-s, s] with {@code s = 1 / sqrt(maxLength)} (so that the sums stay of order 1 at any length), of a random length between {@code minLength} and {@code maxLength}; sequences are padded with zeros
 * at the end to {@code maxLength} and come with a features mask (1 for a real step, 0 for padding). The target is
 * the running sum of the values so far, one per step ({@code [n, 1, maxLength]}, masked like the features: a
 * many-to-many regression for {@code RnnOutputLayer} with MSE), or ({@link #lastStep}) the sum of the whole sequence
 * ({@code [n, 1]}, for {@code LastTimeStep} + {@code OutputLayer}). Deterministic for a seed. Stateless.
 */
public final class SumTask {

    private SumTask() {
    }

    /**
     * @param examples  number of sequences (>= 1)
     * @param minLength shortest sequence (>= 1)
     * @param maxLength longest sequence and padded length (>= minLength)
     * @param seed      the random seed
     * @return features {@code [n, 1, maxLength]} (NCW), running-sum labels {@code [n, 1, maxLength]}, and the same
     *         {@code [n, maxLength]} mask for features and labels
     * @throws IllegalArgumentException when a size is out of range (naming it)
     */
    public static DataSet perStep(int examples, int minLength, int maxLength, long seed) {
        return generate(examples, minLength, maxLength, seed, false);
    }

    /**
     * @param examples  number of sequences (>= 1)
     * @param minLength shortest sequence (>= 1)
     * @param maxLength longest sequence and padded length (>= minLength)
     * @param seed      the random seed
     * @return features {@code [n, 1, maxLength]} with their {@code [n, maxLength]} mask, and the total sum as
     *         labels {@code [n, 1]} (no labels mask)
     * @throws IllegalArgumentException when a size is out of range (naming it)
     */
    public static DataSet lastStep(int examples, int minLength, int maxLength, long seed) {
        return generate(examples, minLength, maxLength, seed, true);
    }

    private static DataSet generate(int examples, int minLength, int maxLength, long seed, boolean last) {
        if (examples < 1) {
            throw new IllegalArgumentException("examples must be >= 1 but was " + examples);
        }
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("lengths must satisfy 1 <= minLength <= maxLength but were minLength="
                    + minLength + ", maxLength=" + maxLength);
        }
        Random random = new Random(seed);
        float scale = (float) (1 / Math.sqrt(maxLength));
        float[] x = new float[examples * maxLength];
        float[] mask = new float[examples * maxLength];
        float[] running = new float[examples * maxLength];
        float[] total = new float[examples];
        for (int e = 0; e < examples; e++) {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            float sum = 0;
            for (int t = 0; t < length; t++) {
                float v = (random.nextFloat() * 2 - 1) * scale;
                sum += v;
                x[e * maxLength + t] = v;
                mask[e * maxLength + t] = 1;
                running[e * maxLength + t] = sum;
            }
            total[e] = sum;
        }
        INDArray features = Nd4j.create(x, new long[] {examples, 1, maxLength}, 'c').castTo(DataType.FLOAT);
        INDArray featuresMask = Nd4j.create(mask, new long[] {examples, maxLength}, 'c');
        if (last) {
            INDArray labels = Nd4j.create(total, new long[] {examples, 1}, 'c');
            return new DataSet(features, labels, featuresMask, null);
        }
        INDArray labels = Nd4j.create(running, new long[] {examples, 1, maxLength}, 'c');
        return new DataSet(features, labels, featuresMask, featuresMask.dup());
    }
}
