package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ScoreSnapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Judges the per-iteration loss curve (the method's section 4.2), each symptom once per run:
 * <ul>
 *   <li>{@link Symptom#LOSS_NOT_DECREASING}: after {@code lossWarmup} iterations the smoothed loss (mean of the last
 *   {@code lossWindow} scores) is not {@code minRelativeDecrease} below the first window, for {@code lossPatience}
 *   consecutive iterations;</li>
 *   <li>{@link Symptom#LOSS_DIVERGING}: the smoothed loss exceeds {@code (1 + divergenceFactor)} times the lower of
 *   the first score and the best smoothed loss, by at least {@code divergenceMinIncrease}, for
 *   {@code divergencePatience} consecutive iterations;</li>
 *   <li>{@link Symptom#LOSS_OSCILLATING}: among the last {@code oscillationBlocks} block means (blocks of
 *   {@code oscillationBlock} scores) at least {@code oscillationSwings} swings go up and as many go down, a swing
 *   being a change larger than {@code oscillationTolerance} of the smaller block and {@code oscillationMinSwing} of
 *   the first block; the evidence {@code largestSwing} is the largest swing as a share of the higher of its two
 *   blocks (finite when a block mean is 0), {@code largestSwingAbsolute} the same swing in loss units.</li>
 * </ul>
 * Non-finite scores are skipped (the non-finite detector reports them). Memory is bounded by the window sizes.
 * Not thread safe.
 */
public final class LossCurveRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final RuleConfig config;
    private final Streaks streaks;
    private final Streaks divergence;
    private final Deque<Double> recent = new ArrayDeque<>();
    private double recentSum;
    private double firstSum;
    private long seen;
    private double firstScore = Double.NaN;
    private double bestSmoothed = Double.POSITIVE_INFINITY;
    private final Deque<double[]> blocks = new ArrayDeque<>();
    private double blockSum;
    private int blockCount;
    private long blockStart;
    private double firstBlock = Double.NaN;
    private boolean oscillationReported;

    /**
     * @param config the thresholds
     */
    public LossCurveRule(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.streaks = new Streaks(config.lossPatience());
        this.divergence = new Streaks(config.divergencePatience());
    }

    /**
     * @param snapshot the newest iteration's score
     * @return findings that became true with this score
     */
    public List<Finding> evaluate(ScoreSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>();
        double score = snapshot.score();
        if (!Double.isFinite(score)) {
            return findings;
        }
        long it = snapshot.iteration();
        seen++;
        if (Double.isNaN(firstScore)) {
            firstScore = score;
        }
        int window = config.lossWindow();
        if (seen <= window) {
            firstSum += score;
        }
        recent.addLast(score);
        recentSum += score;
        if (recent.size() > window) {
            recentSum -= recent.removeFirst();
        }
        if (recent.size() == window) {
            double smoothed = recentSum / window;
            double reference = Math.min(firstScore, bestSmoothed);
            bestSmoothed = Math.min(bestSmoothed, smoothed);
            boolean diverging = smoothed > reference * (1 + config.divergenceFactor())
                    && smoothed - reference > config.divergenceMinIncrease();
            OptionalLong div = divergence.record("diverging", diverging, it);
            if (div.isPresent()) {
                findings.add(Finding.builder(Symptom.LOSS_DIVERGING, Severity.ERROR, String.format(
                                "loss is diverging: smoothed loss %.4g is %.1fx the reference %.4g (first loss or best "
                                        + "smoothed loss) for %d iterations", smoothed, smoothed / reference,
                                reference, config.divergencePatience()))
                        .firstIteration(div.getAsLong())
                        .evidence("smoothedLoss", smoothed).evidence("referenceLoss", reference)
                        .evidence("firstLoss", firstScore).evidence("factor", config.divergenceFactor())
                        .evidence("window", window)
                        .suggest("lower the learning rate 10x, e.g. .updater(new Adam(1e-4))",
                                ".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                                        + ".gradientNormalizationThreshold(1.0)",
                                "normalise the inputs (NormalizerStandardize) and check the labels")
                        .build());
            }
            double first = firstSum / Math.min(seen, window);
            boolean flat = it >= config.lossWarmup() && seen >= 2L * window && !diverging
                    && smoothed > first * (1 - config.minRelativeDecrease());
            OptionalLong stall = streaks.record("flat", flat, it);
            if (stall.isPresent()) {
                findings.add(Finding.builder(Symptom.LOSS_NOT_DECREASING, Severity.WARN, String.format(
                                "loss is not decreasing: smoothed loss %.4g after %d iterations vs %.4g at the start "
                                        + "(%.1f%% change, need a %.0f%% decrease)", smoothed, it + 1, first,
                                100 * (smoothed - first) / first, 100 * config.minRelativeDecrease()))
                        .firstIteration(stall.getAsLong())
                        .evidence("smoothedLoss", smoothed).evidence("firstWindowLoss", first)
                        .evidence("relativeChange", (smoothed - first) / first)
                        .evidence("threshold", config.minRelativeDecrease()).evidence("window", window)
                        .suggest("raise the learning rate (check the update:param ratio, ~1e-3 is healthy)",
                                "check that gradients reach every layer and that the labels match the features",
                                "run the minimal example: can the network overfit 10 examples?",
                                "check the weight init (.weightInit(WeightInit.XAVIER) / WeightInit.RELU) and the "
                                        + "activations (no saturated sigmoid/tanh stack)")
                        .build());
            }
        }
        oscillation(score, it).ifPresent(findings::add);
        return findings;
    }

    private Optional<Finding> oscillation(double score, long it) {
        if (blockCount == 0) {
            blockStart = it;
        }
        blockSum += score;
        blockCount++;
        if (blockCount < config.oscillationBlock()) {
            return Optional.empty();
        }
        double mean = blockSum / blockCount;
        blocks.addLast(new double[] {mean, blockStart});
        blockSum = 0;
        blockCount = 0;
        if (Double.isNaN(firstBlock)) {
            firstBlock = mean;
        }
        if (blocks.size() > config.oscillationBlocks()) {
            blocks.removeFirst();
        }
        if (oscillationReported || blocks.size() < config.oscillationBlocks()) {
            return Optional.empty();
        }
        int up = 0;
        int down = 0;
        // The largest swing as a share of the higher of its two blocks: finite (at most 100% for losses >= 0) even
        // when a block mean reaches 0, where a share of the lower block would be infinite.
        double largest = 0;
        double largestAbsolute = 0;
        double largestFrom = Double.NaN;
        double largestTo = Double.NaN;
        double previous = Double.NaN;
        for (double[] b : blocks) {
            if (!Double.isNaN(previous)) {
                double d = b[0] - previous;
                double smaller = Math.min(b[0], previous);
                if (Math.abs(d) > config.oscillationTolerance() * Math.abs(smaller)
                        && Math.abs(d) > config.oscillationMinSwing() * Math.abs(firstBlock)) {
                    if (d > 0) {
                        up++;
                    } else {
                        down++;
                    }
                    if (Math.abs(d) > largestAbsolute) {
                        largestAbsolute = Math.abs(d);
                        largest = Math.abs(d) / Math.max(Math.abs(b[0]), Math.abs(previous));
                        largestFrom = previous;
                        largestTo = b[0];
                    }
                }
            }
            previous = b[0];
        }
        if (up < config.oscillationSwings() || down < config.oscillationSwings()) {
            return Optional.empty();
        }
        oscillationReported = true;
        long start = (long) blocks.peekFirst()[1];
        return Optional.of(Finding.builder(Symptom.LOSS_OSCILLATING, Severity.WARN, String.format(
                        "loss oscillates: over the last %d blocks of %d iterations it swung up %d times and down %d "
                                + "times by more than %.0f%% (largest swing %.4g -> %.4g, %.0f%% of the higher block)",
                        blocks.size(), config.oscillationBlock(), up, down, 100 * config.oscillationTolerance(),
                        largestFrom, largestTo, 100 * largest))
                .firstIteration(start)
                .evidence("swingsUp", up).evidence("swingsDown", down).evidence("largestSwing", largest)
                .evidence("largestSwingAbsolute", largestAbsolute)
                .evidence("tolerance", config.oscillationTolerance()).evidence("block", config.oscillationBlock())
                .suggest("lower the learning rate, e.g. halve it or use .updater(new Adam(1e-4))",
                        "lower the momentum: new Nesterovs(lr, 0.9) instead of 0.99",
                        "use a larger minibatch, or a learning-rate decay schedule")
                .build());
    }

    @Override
    public List<Finding> onScore(ScoreSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
