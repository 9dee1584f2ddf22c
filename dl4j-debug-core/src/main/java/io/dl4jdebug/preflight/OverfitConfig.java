package io.dl4jdebug.preflight;

import java.io.Serializable;

/**
 * Options of the minimal reproducible example ({@link MinimalExample}): how many examples, how long to train, and
 * when the loss counts as "near zero".
 *
 * @param examples         examples taken from the start of the data (default 10, the method's value)
 * @param maxSteps         training steps on those examples at most (default 300)
 * @param checkEvery       steps between two loss measurements; training stops early once the target is reached
 *                         (default 10)
 * @param relativeTarget   the network overfits when its loss falls to this fraction of the initial loss
 *                         (default 0.05)
 * @param absoluteTarget   ... or below this absolute loss, whichever is larger (default 0.02)
 * @param seed             seed of ND4J's random generator before each run (default 12345)
 */
public record OverfitConfig(int examples, int maxSteps, int checkEvery, double relativeTarget, double absoluteTarget,
                            long seed) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields; messages name the field, the value and what is valid. */
    public OverfitConfig {
        if (examples < 1) {
            throw new IllegalArgumentException("examples must be >= 1 but was " + examples);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1 but was " + maxSteps);
        }
        if (checkEvery < 1 || checkEvery > maxSteps) {
            throw new IllegalArgumentException("checkEvery must be in [1, maxSteps=" + maxSteps + "] but was "
                    + checkEvery);
        }
        if (!(relativeTarget > 0 && relativeTarget < 1)) {
            throw new IllegalArgumentException("relativeTarget must be in (0, 1) but was " + relativeTarget);
        }
        if (!(absoluteTarget >= 0) || Double.isInfinite(absoluteTarget)) {
            throw new IllegalArgumentException("absoluteTarget must be a finite number >= 0 but was "
                    + absoluteTarget);
        }
    }

    /**
     * @param initialLoss the loss before training
     * @return the loss the network must reach to count as overfitting
     */
    public double target(double initialLoss) {
        return Math.max(absoluteTarget, relativeTarget * initialLoss);
    }

    /** @return the defaults */
    public static OverfitConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link OverfitConfig}; {@link #build()} validates. Not thread safe. */
    public static final class Builder {
        private int examples = 10;
        private int maxSteps = 300;
        private int checkEvery = 10;
        private double relativeTarget = 0.05;
        private double absoluteTarget = 0.02;
        private long seed = 12345;

        private Builder() {
        }

        /**
         * @param examples examples to memorize
         * @return this builder
         */
        public Builder examples(int examples) {
            this.examples = examples;
            return this;
        }

        /**
         * @param maxSteps training steps at most
         * @return this builder
         */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /**
         * @param checkEvery steps between loss measurements
         * @return this builder
         */
        public Builder checkEvery(int checkEvery) {
            this.checkEvery = checkEvery;
            return this;
        }

        /**
         * @param relativeTarget fraction of the initial loss to reach
         * @return this builder
         */
        public Builder relativeTarget(double relativeTarget) {
            this.relativeTarget = relativeTarget;
            return this;
        }

        /**
         * @param absoluteTarget absolute loss that always counts as reached
         * @return this builder
         */
        public Builder absoluteTarget(double absoluteTarget) {
            this.absoluteTarget = absoluteTarget;
            return this;
        }

        /**
         * @param seed seed of the runs
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @return the validated configuration */
        public OverfitConfig build() {
            return new OverfitConfig(examples, maxSteps, checkEvery, relativeTarget, absoluteTarget, seed);
        }
    }
}
