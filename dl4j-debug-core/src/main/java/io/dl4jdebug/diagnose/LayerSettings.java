package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The settings of one layer that sit on the path from its gradient to its update, and its width: what the diagnosis
 * walks to find the station where a value goes wrong (minibatch averaging, regularization, gradient normalization,
 * the updater's hyper-parameters and the learning rate its schedule applies at a given iteration or epoch).
 *
 * @param width              the layer's number of units or channels (nOut), 0 when not applicable
 * @param l1                 the L1 coefficient on the weights (0 when none)
 * @param weightDecay        the weight-decay coefficient (0 when none)
 * @param clipThreshold      the gradient-normalization threshold (meaningful only when clipping is set)
 * @param updaterParameters  the updater's hyper-parameters by name (momentum, beta1, beta2, epsilon, rho)
 * @param schedule           the learning-rate schedule as DL4J prints it, "" for a fixed rate
 * @param rateByIteration    the rate the schedule gives at the iterations of {@link #SAMPLED_ITERATIONS} (epoch 0)
 * @param rateByEpoch        the rate it gives at epochs 0..{@value #SAMPLED_EPOCHS} - 1 (iteration 0)
 * @param inferenceDiffers   whether the layer computes another function in inference than in training (dropout of
 *                           any kind, BatchNormalization, noise layers)
 * @param batchNormEps       a BatchNormalization's epsilon (added to the variance before the square root), 0 for
 *                           other layers
 */
public record LayerSettings(int width, double l1, double weightDecay, double clipThreshold,
                            Map<String, Double> updaterParameters, String schedule, List<Double> rateByIteration,
                            List<Double> rateByEpoch, boolean inferenceDiffers, double batchNormEps)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The iterations at which a schedule's rate is sampled. */
    public static final List<Long> SAMPLED_ITERATIONS = sampledIterations();
    /** The number of epochs at which a schedule's rate is sampled. */
    public static final int SAMPLED_EPOCHS = 50;

    /** Settings of a layer nothing is known about. */
    public static final LayerSettings UNKNOWN = new LayerSettings(0, 0, 0, 0, Map.of(), "", List.of(), List.of(),
            false);

    /**
     * Settings of a layer that is not a BatchNormalization.
     *
     * @param width             the layer's number of units or channels
     * @param l1                the L1 coefficient on the weights
     * @param weightDecay       the weight-decay coefficient
     * @param clipThreshold     the gradient-normalization threshold
     * @param updaterParameters the updater's hyper-parameters by name
     * @param schedule          the learning-rate schedule as DL4J prints it, "" for a fixed rate
     * @param rateByIteration   the schedule's rate at {@link #SAMPLED_ITERATIONS}
     * @param rateByEpoch       the schedule's rate by epoch
     * @param inferenceDiffers  whether the layer computes another function in inference than in training
     */
    public LayerSettings(int width, double l1, double weightDecay, double clipThreshold,
                         Map<String, Double> updaterParameters, String schedule, List<Double> rateByIteration,
                         List<Double> rateByEpoch, boolean inferenceDiffers) {
        this(width, l1, weightDecay, clipThreshold, updaterParameters, schedule, rateByIteration, rateByEpoch,
                inferenceDiffers, 0);
    }

    /** Validates the fields and copies the collections. */
    public LayerSettings {
        if (width < 0) {
            throw new IllegalArgumentException("width must be >= 0 but was " + width);
        }
        updaterParameters = Map.copyOf(updaterParameters);
        Objects.requireNonNull(schedule, "schedule");
        rateByIteration = List.copyOf(rateByIteration);
        rateByEpoch = List.copyOf(rateByEpoch);
    }

    /** @return true when the learning rate follows a schedule */
    public boolean scheduled() {
        return !schedule.isEmpty();
    }

    /**
     * The rate the schedule applies at an iteration and epoch, read from the samples (the latest sample at or before
     * the iteration, and at the epoch; the smaller of the two readings when the schedule depends on both).
     *
     * @param iteration the iteration
     * @param epoch     the epoch
     * @return the rate, empty without a schedule or samples
     */
    public OptionalDouble rateAt(long iteration, int epoch) {
        if (!scheduled() || rateByIteration.isEmpty()) {
            return OptionalDouble.empty();
        }
        double byIteration = rateByIteration.get(0);
        for (int i = 0; i < SAMPLED_ITERATIONS.size() && i < rateByIteration.size(); i++) {
            if (SAMPLED_ITERATIONS.get(i) <= iteration) {
                byIteration = rateByIteration.get(i);
            }
        }
        double byEpoch = rateByEpoch.isEmpty() ? byIteration
                : rateByEpoch.get(Math.max(0, Math.min(epoch, rateByEpoch.size() - 1)));
        boolean iterationDriven = rateByIteration.stream().distinct().count() > 1;
        boolean epochDriven = rateByEpoch.stream().distinct().count() > 1;
        if (iterationDriven && epochDriven) {
            return OptionalDouble.of(Math.min(byIteration, byEpoch));
        }
        return OptionalDouble.of(epochDriven ? byEpoch : byIteration);
    }

    /**
     * The highest rate the schedule applied up to an iteration and epoch (the samples at or before them).
     *
     * @param iteration the iteration
     * @param epoch     the epoch
     * @return the peak, empty without a schedule or samples
     */
    public OptionalDouble peakRate(long iteration, int epoch) {
        if (!scheduled() || rateByIteration.isEmpty()) {
            return OptionalDouble.empty();
        }
        double peak = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < SAMPLED_ITERATIONS.size() && i < rateByIteration.size()
                && SAMPLED_ITERATIONS.get(i) <= iteration; i++) {
            peak = Math.max(peak, rateByIteration.get(i));
        }
        for (int e = 0; e < rateByEpoch.size() && e <= epoch; e++) {
            peak = Math.max(peak, rateByEpoch.get(e));
        }
        return Double.isFinite(peak) ? OptionalDouble.of(peak) : OptionalDouble.empty();
    }

    /**
     * The first sampled iteration at which an iteration-driven schedule gives less than {@code share} of its rate at
     * iteration 0.
     *
     * @param share a share of the starting rate, e.g. 0.01
     * @return the iteration, empty without such a schedule or when the rate stays above within the samples
     */
    public OptionalLong iterationRateBelow(double share) {
        if (!scheduled() || rateByIteration.isEmpty() || rateByIteration.stream().distinct().count() < 2) {
            return OptionalLong.empty();
        }
        double start = rateByIteration.get(0);
        for (int i = 0; i < SAMPLED_ITERATIONS.size() && i < rateByIteration.size(); i++) {
            if (rateByIteration.get(i) < share * start) {
                return OptionalLong.of(SAMPLED_ITERATIONS.get(i));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The first epoch at which an epoch-driven schedule gives less than {@code share} of its rate at epoch 0.
     *
     * @param share a share of the starting rate, e.g. 0.01
     * @return the epoch, empty without such a schedule or when the rate stays above in the sampled epochs
     */
    public OptionalInt epochRateBelow(double share) {
        if (!scheduled() || rateByEpoch.isEmpty() || rateByEpoch.stream().distinct().count() < 2) {
            return OptionalInt.empty();
        }
        double start = rateByEpoch.get(0);
        for (int e = 0; e < rateByEpoch.size(); e++) {
            if (rateByEpoch.get(e) < share * start) {
                return OptionalInt.of(e);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Every iteration up to 128 (where short runs and fast decays live), then about 20 % apart up to a million: a
     * schedule's crossing of a threshold is read to within one iteration early on, and to within 20 % later.
     */
    private static List<Long> sampledIterations() {
        List<Long> at = new java.util.ArrayList<>();
        for (long i = 0; i < 128; i++) {
            at.add(i);
        }
        for (long i = 128; i <= 1_000_000; i = Math.round(i * 1.2)) {
            at.add(i);
        }
        return List.copyOf(at);
    }

    /**
     * @param name a hyper-parameter's name
     * @return its value, empty when the updater has none of that name
     */
    public OptionalDouble updaterParameter(String name) {
        Double v = updaterParameters.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
