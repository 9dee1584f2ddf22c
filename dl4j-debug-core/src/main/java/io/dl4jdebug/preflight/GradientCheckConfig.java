package io.dl4jdebug.preflight;

import java.io.Serializable;

/**
 * Options of the {@link GradientChecker} (the method's section 5.1: central differences in double precision).
 *
 * @param epsilon            the central-difference step (default 1e-6)
 * @param maxRelativeError   largest relative error |a - n| / (|a| + |n|) that passes (default 1e-5, the method's
 *                           threshold in double precision)
 * @param minAbsoluteError   an entry whose absolute error is below this passes whatever its relative error
 *                           (default 1e-8: guards against 0/0 on tiny gradients)
 * @param examples           examples of the data used (default 4)
 * @param maxPerParameter    entries checked per parameter array, evenly spaced (default 20)
 * @param crossCheckWithDl4j also run DL4J's {@code GradientCheckUtil} with the same settings and report its verdict
 *                           (default true)
 */
public record GradientCheckConfig(double epsilon, double maxRelativeError, double minAbsoluteError, int examples,
                                  int maxPerParameter, boolean crossCheckWithDl4j) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields; messages name the field, the value and what is valid. */
    public GradientCheckConfig {
        if (!(epsilon > 0 && epsilon <= 0.1)) {
            throw new IllegalArgumentException("epsilon must be in (0, 0.1] but was " + epsilon);
        }
        if (!(maxRelativeError > 0 && maxRelativeError <= 0.25)) {
            throw new IllegalArgumentException("maxRelativeError must be in (0, 0.25] but was " + maxRelativeError);
        }
        if (!(minAbsoluteError >= 0) || Double.isInfinite(minAbsoluteError)) {
            throw new IllegalArgumentException("minAbsoluteError must be a finite number >= 0 but was "
                    + minAbsoluteError);
        }
        if (examples < 1) {
            throw new IllegalArgumentException("examples must be >= 1 but was " + examples);
        }
        if (maxPerParameter < 1) {
            throw new IllegalArgumentException("maxPerParameter must be >= 1 but was " + maxPerParameter);
        }
    }

    /** @return the defaults */
    public static GradientCheckConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link GradientCheckConfig}; {@link #build()} validates. Not thread safe. */
    public static final class Builder {
        private double epsilon = 1e-6;
        private double maxRelativeError = 1e-5;
        private double minAbsoluteError = 1e-8;
        private int examples = 4;
        private int maxPerParameter = 20;
        private boolean crossCheckWithDl4j = true;

        private Builder() {
        }

        /**
         * @param epsilon central-difference step
         * @return this builder
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * @param maxRelativeError largest passing relative error
         * @return this builder
         */
        public Builder maxRelativeError(double maxRelativeError) {
            this.maxRelativeError = maxRelativeError;
            return this;
        }

        /**
         * @param minAbsoluteError absolute error that always passes
         * @return this builder
         */
        public Builder minAbsoluteError(double minAbsoluteError) {
            this.minAbsoluteError = minAbsoluteError;
            return this;
        }

        /**
         * @param examples examples used
         * @return this builder
         */
        public Builder examples(int examples) {
            this.examples = examples;
            return this;
        }

        /**
         * @param maxPerParameter entries checked per parameter
         * @return this builder
         */
        public Builder maxPerParameter(int maxPerParameter) {
            this.maxPerParameter = maxPerParameter;
            return this;
        }

        /**
         * @param crossCheckWithDl4j also run GradientCheckUtil
         * @return this builder
         */
        public Builder crossCheckWithDl4j(boolean crossCheckWithDl4j) {
            this.crossCheckWithDl4j = crossCheckWithDl4j;
            return this;
        }

        /** @return the validated configuration */
        public GradientCheckConfig build() {
            return new GradientCheckConfig(epsilon, maxRelativeError, minAbsoluteError, examples, maxPerParameter,
                    crossCheckWithDl4j);
        }
    }
}
