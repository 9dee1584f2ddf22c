package io.dl4jdebug.ui.recorded;

/**
 * From StatsListener's mean magnitudes to the L2 norms dl4j-debug's rules judge. StatsListener stores, per array of
 * {@code N} values, the mean magnitude {@code m = ||x||_1 / N}; dl4j-debug's gradient rules judge the per-example L2
 * norm ({@code ||g||_2 / B} of the raw gradient, a sum over a minibatch of {@code B} examples) and its update rules the
 * ratio {@code ||update||_2 / ||parameter||_2}.
 *
 * <p>The derivation. For any array, {@code m sqrt(N) <= ||x||_2 <= m N} (Cauchy-Schwarz and the triangle
 * inequality). For values spread like a zero-centred normal distribution, {@code E|x| = sigma sqrt(2 / pi)}, so
 * {@code ||x||_2 ~ sigma sqrt(N) = m sqrt(pi N / 2)}: the estimate used here, {@link #l2(double, long)}. Hence:
 * <ul>
 *   <li>the per-example gradient norm is estimated as {@code (m_g / B) sqrt(pi N / 2)}, and the live thresholds
 *   (vanishing below 1e-6, exploding above 100, per-example L2) become thresholds on the per-example mean magnitude
 *   of {@code 1e-6 / sqrt(pi N / 2)} and {@code 100 / sqrt(pi N / 2)}: for a 784 x 128 weight matrix (N = 100,352)
 *   {@code 2.5e-9} and {@code 0.25}, for a 64-value bias {@code 1e-7} and {@code 10} ({@link #vanishingMagnitude},
 *   {@link #explodingMagnitude});</li>
 *   <li>the update:parameter ratio is estimated as {@code m_update / m_parameter}: both arrays have the same
 *   {@code N}, which cancels, and the ratio thresholds (0.1 too high, 1e-5 too low) apply unchanged. The estimate is
 *   exact when both arrays have the same shape of distribution; Adam's first updates are close to {@code +-lr}
 *   (mean magnitude = RMS) while weights are normal (RMS = 1.25 x mean magnitude), so early on it reads up to 1.25x
 *   above the L2 ratio.</li>
 * </ul>
 * A sparse array (most values exactly 0, e.g. the gradient of a layer behind dead ReLUs) has {@code ||x||_2} up to
 * {@code sqrt(N / nonzero)} times larger than the estimate, so a vanishing verdict on sparse gradients is pessimistic;
 * the exploding verdict is never an over-estimate there. Stateless.
 */
public final class MeanMagnitudes {

    /** {@code sqrt(pi / 2)}: the L2 norm over {@code sqrt(N)} times the mean magnitude of normal values. */
    public static final double NORMAL_RMS_PER_MEAN_MAGNITUDE = Math.sqrt(Math.PI / 2);

    private MeanMagnitudes() {
    }

    /**
     * @param meanMagnitude the mean magnitude of an array
     * @param length        its number of values
     * @return the estimated L2 norm {@code m sqrt(pi N / 2)}
     */
    public static double l2(double meanMagnitude, long length) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1 but was " + length);
        }
        return meanMagnitude * NORMAL_RMS_PER_MEAN_MAGNITUDE * Math.sqrt(length);
    }

    /**
     * @param l2Threshold a threshold on the per-example L2 norm (e.g. the vanishing threshold 1e-6)
     * @param length      the array's number of values
     * @return the same threshold on the per-example mean magnitude
     */
    public static double vanishingMagnitude(double l2Threshold, long length) {
        return l2Threshold / (NORMAL_RMS_PER_MEAN_MAGNITUDE * Math.sqrt(length));
    }

    /**
     * @param l2Threshold a threshold on the per-example L2 norm (e.g. the exploding threshold 100)
     * @param length      the array's number of values
     * @return the same threshold on the per-example mean magnitude
     */
    public static double explodingMagnitude(double l2Threshold, long length) {
        return vanishingMagnitude(l2Threshold, length);
    }
}
