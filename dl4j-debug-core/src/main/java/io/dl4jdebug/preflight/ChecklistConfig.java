package io.dl4jdebug.preflight;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Thresholds and options of the {@link QuickChecklist}. Every threshold has a documented default; build with
 * {@link #builder()}.
 *
 * @param expectedBackend         the backend the run must use, or null when any backend is fine (default null)
 * @param maxBatches              minibatches of each iterator scanned by the data checks (default 50)
 * @param maxFeatureMean          largest |mean| of the features that counts as normalized (default 5)
 * @param maxFeatureStd           largest standard deviation of the features that counts as normalized (default 5;
 *                                raw 0-255 pixels have a standard deviation near 90)
 * @param minFeatureStd           smallest standard deviation of the features that still carries signal
 *                                (default 1e-4)
 * @param labelTolerance          how far a label row sum may be from 1 (default 1e-4)
 * @param maxImbalanceRatio       largest ratio of the most to the least frequent class (default 10)
 * @param minExamplesPerClass     the balance check runs only when it scanned at least this many examples per
 *                                class on average (default 5)
 * @param initLossTolerance       relative distance of the initial loss from ln(C) that is still expected
 *                                (default 0.5: a loss in [0.5 ln C, 1.5 ln C] passes)
 * @param minDropoutRetain        smallest dropout retain probability that is plausible (default 0.5; DL4J's
 *                                {@code dropOut(p)} is the probability to KEEP an activation)
 * @param minLearningRate         smallest plausible learning rate (default 1e-6)
 * @param maxAdaptiveLearningRate largest plausible learning rate for adaptive updaters: Adam, AdaMax, Nadam,
 *                                AMSGrad, RmsProp, AdaGrad, AdaBelief (default 1e-2)
 * @param maxSgdLearningRate      largest plausible learning rate for Sgd and Nesterovs (default 1)
 * @param seed                    seed of ND4J's random generator for the runs on copies (default 12345)
 * @param determinismSteps        training steps of each of the two repeated runs (default 2)
 * @param kernelProbeMode         where {@code env.backend} runs its tiny mmul/sigmoid/sum/conv2d probe (default
 *                                {@link KernelProbeMode#AUTO}: in process on the CPU backend, in a child JVM on
 *                                CUDA, where a kernel can crash the JVM natively; a child JVM costs seconds)
 * @param kernelProbeTimeout      how long the probe's child JVM may run before it is killed and reported
 *                                (default 120 s)
 */
public record ChecklistConfig(Backend expectedBackend, int maxBatches, double maxFeatureMean, double maxFeatureStd,
                              double minFeatureStd, double labelTolerance, double maxImbalanceRatio,
                              int minExamplesPerClass, double initLossTolerance, double minDropoutRetain,
                              double minLearningRate, double maxAdaptiveLearningRate, double maxSgdLearningRate,
                              long seed, int determinismSteps, KernelProbeMode kernelProbeMode,
                              Duration kernelProbeTimeout) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields; messages name the field, the value and what is valid. */
    public ChecklistConfig {
        requireAtLeast("maxBatches", maxBatches, 1);
        requirePositive("maxFeatureMean", maxFeatureMean);
        requirePositive("maxFeatureStd", maxFeatureStd);
        requirePositive("minFeatureStd", minFeatureStd);
        if (minFeatureStd >= maxFeatureStd) {
            throw new IllegalArgumentException("minFeatureStd must be < maxFeatureStd (" + maxFeatureStd
                    + ") but was " + minFeatureStd);
        }
        requirePositive("labelTolerance", labelTolerance);
        if (!(maxImbalanceRatio >= 1) || Double.isInfinite(maxImbalanceRatio)) {
            throw new IllegalArgumentException("maxImbalanceRatio must be a finite number >= 1 but was "
                    + maxImbalanceRatio);
        }
        requireAtLeast("minExamplesPerClass", minExamplesPerClass, 1);
        requirePositive("initLossTolerance", initLossTolerance);
        if (!(minDropoutRetain > 0 && minDropoutRetain <= 1)) {
            throw new IllegalArgumentException("minDropoutRetain must be in (0, 1] but was " + minDropoutRetain);
        }
        requirePositive("minLearningRate", minLearningRate);
        if (!(maxAdaptiveLearningRate > minLearningRate) || Double.isInfinite(maxAdaptiveLearningRate)) {
            throw new IllegalArgumentException("maxAdaptiveLearningRate must be finite and > minLearningRate ("
                    + minLearningRate + ") but was " + maxAdaptiveLearningRate);
        }
        if (!(maxSgdLearningRate > minLearningRate) || Double.isInfinite(maxSgdLearningRate)) {
            throw new IllegalArgumentException("maxSgdLearningRate must be finite and > minLearningRate ("
                    + minLearningRate + ") but was " + maxSgdLearningRate);
        }
        requireAtLeast("determinismSteps", determinismSteps, 1);
        if (kernelProbeMode == null) {
            throw new IllegalArgumentException("kernelProbeMode must be one of "
                    + Arrays.toString(KernelProbeMode.values()) + " but was null");
        }
        if (kernelProbeTimeout == null || kernelProbeTimeout.isNegative() || kernelProbeTimeout.isZero()) {
            throw new IllegalArgumentException("kernelProbeTimeout must be a duration > 0 but was "
                    + kernelProbeTimeout);
        }
    }

    private static void requirePositive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0 but was " + value);
        }
    }

    private static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
    }

    /** @return the expected backend, empty when any backend is accepted */
    public Optional<Backend> expected() {
        return Optional.ofNullable(expectedBackend);
    }

    /** @return the defaults */
    public static ChecklistConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link ChecklistConfig}; {@link #build()} validates. Not thread safe. */
    public static final class Builder {
        private Backend expectedBackend;
        private int maxBatches = 50;
        private double maxFeatureMean = 5;
        private double maxFeatureStd = 5;
        private double minFeatureStd = 1e-4;
        private double labelTolerance = 1e-4;
        private double maxImbalanceRatio = 10;
        private int minExamplesPerClass = 5;
        private double initLossTolerance = 0.5;
        private double minDropoutRetain = 0.5;
        private double minLearningRate = 1e-6;
        private double maxAdaptiveLearningRate = 1e-2;
        private double maxSgdLearningRate = 1;
        private long seed = 12345;
        private int determinismSteps = 2;
        private KernelProbeMode kernelProbeMode = KernelProbeMode.AUTO;
        private Duration kernelProbeTimeout = Duration.ofSeconds(120);

        private Builder() {
        }

        /**
         * @param expectedBackend the backend the run must use; null accepts any
         * @return this builder
         */
        public Builder expectedBackend(Backend expectedBackend) {
            this.expectedBackend = expectedBackend;
            return this;
        }

        /**
         * @param maxBatches minibatches scanned per iterator
         * @return this builder
         */
        public Builder maxBatches(int maxBatches) {
            this.maxBatches = maxBatches;
            return this;
        }

        /**
         * @param maxFeatureMean largest normalized |mean|
         * @return this builder
         */
        public Builder maxFeatureMean(double maxFeatureMean) {
            this.maxFeatureMean = maxFeatureMean;
            return this;
        }

        /**
         * @param maxFeatureStd largest normalized standard deviation
         * @return this builder
         */
        public Builder maxFeatureStd(double maxFeatureStd) {
            this.maxFeatureStd = maxFeatureStd;
            return this;
        }

        /**
         * @param minFeatureStd smallest standard deviation that carries signal
         * @return this builder
         */
        public Builder minFeatureStd(double minFeatureStd) {
            this.minFeatureStd = minFeatureStd;
            return this;
        }

        /**
         * @param labelTolerance allowed distance of a label row sum from 1
         * @return this builder
         */
        public Builder labelTolerance(double labelTolerance) {
            this.labelTolerance = labelTolerance;
            return this;
        }

        /**
         * @param maxImbalanceRatio largest most/least frequent class ratio
         * @return this builder
         */
        public Builder maxImbalanceRatio(double maxImbalanceRatio) {
            this.maxImbalanceRatio = maxImbalanceRatio;
            return this;
        }

        /**
         * @param minExamplesPerClass average examples per class needed to judge balance
         * @return this builder
         */
        public Builder minExamplesPerClass(int minExamplesPerClass) {
            this.minExamplesPerClass = minExamplesPerClass;
            return this;
        }

        /**
         * @param initLossTolerance relative distance from ln(C) still expected
         * @return this builder
         */
        public Builder initLossTolerance(double initLossTolerance) {
            this.initLossTolerance = initLossTolerance;
            return this;
        }

        /**
         * @param minDropoutRetain smallest plausible retain probability
         * @return this builder
         */
        public Builder minDropoutRetain(double minDropoutRetain) {
            this.minDropoutRetain = minDropoutRetain;
            return this;
        }

        /**
         * @param minLearningRate smallest plausible learning rate
         * @return this builder
         */
        public Builder minLearningRate(double minLearningRate) {
            this.minLearningRate = minLearningRate;
            return this;
        }

        /**
         * @param maxAdaptiveLearningRate largest plausible learning rate of adaptive updaters
         * @return this builder
         */
        public Builder maxAdaptiveLearningRate(double maxAdaptiveLearningRate) {
            this.maxAdaptiveLearningRate = maxAdaptiveLearningRate;
            return this;
        }

        /**
         * @param maxSgdLearningRate largest plausible learning rate of Sgd and Nesterovs
         * @return this builder
         */
        public Builder maxSgdLearningRate(double maxSgdLearningRate) {
            this.maxSgdLearningRate = maxSgdLearningRate;
            return this;
        }

        /**
         * @param seed seed of the runs on copies
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param determinismSteps steps of each repeated run
         * @return this builder
         */
        public Builder determinismSteps(int determinismSteps) {
            this.determinismSteps = determinismSteps;
            return this;
        }

        /**
         * @param kernelProbeMode where the backend's kernel probe runs (OFF, IN_PROCESS, CHILD_JVM, AUTO)
         * @return this builder
         */
        public Builder kernelProbeMode(KernelProbeMode kernelProbeMode) {
            this.kernelProbeMode = kernelProbeMode;
            return this;
        }

        /**
         * @param kernelProbeTimeout how long the probe's child JVM may run
         * @return this builder
         */
        public Builder kernelProbeTimeout(Duration kernelProbeTimeout) {
            this.kernelProbeTimeout = kernelProbeTimeout;
            return this;
        }

        /** @return the validated configuration */
        public ChecklistConfig build() {
            return new ChecklistConfig(expectedBackend, maxBatches, maxFeatureMean, maxFeatureStd, minFeatureStd,
                    labelTolerance, maxImbalanceRatio, minExamplesPerClass, initLossTolerance, minDropoutRetain,
                    minLearningRate, maxAdaptiveLearningRate, maxSgdLearningRate, seed, determinismSteps,
                    kernelProbeMode, kernelProbeTimeout);
        }
    }
}
