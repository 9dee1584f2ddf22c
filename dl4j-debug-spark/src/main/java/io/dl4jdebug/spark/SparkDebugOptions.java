package io.dl4jdebug.spark;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.NonFiniteConfig;
import io.dl4jdebug.config.RuleConfig;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link SparkDebug#attach} sets up the suite on DL4J's Spark training: the workers' suite (NaN policy, monitor
 * and rule configuration, the window of iterations judged as an epoch, logging on the executors) and, on the driver,
 * the validation data scored between {@code fit} calls, the session ID and the other listeners of the Spark network.
 * Immutable; build with {@link #builder()}.
 */
public final class SparkDebugOptions {

    /** Worker iterations judged as one epoch by default (workers see no epoch end). */
    public static final int DEFAULT_WORKER_WINDOW = 100;

    private final WorkerSuiteSpec spec;
    private final DataSetIterator validation;
    private final String sessionId;
    private final List<TrainingListener> listeners;

    private SparkDebugOptions(Builder b) {
        this.spec = new WorkerSuiteSpec(NonFiniteConfig.of(b.nanPolicy), b.gradients, b.activations, b.rules,
                b.workerWindow, b.workerLogging);
        this.validation = b.validation;
        this.sessionId = b.sessionId;
        this.listeners = List.copyOf(b.listeners);
    }

    /** @return the defaults: NaN policy LOG, default monitors and rules, window 100, executors log findings */
    public static SparkDebugOptions defaults() {
        return builder().build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return what the executors build their suite from */
    public WorkerSuiteSpec spec() {
        return spec;
    }

    /** @return validation data the driver scores at each {@code SparkDebugSession.endEpoch()} */
    public Optional<DataSetIterator> validation() {
        return Optional.ofNullable(validation);
    }

    /** @return the session ID given, empty for a random one */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /** @return the other listeners of the Spark network (attach sets the network's listeners) */
    public List<TrainingListener> listeners() {
        return listeners;
    }

    /** Builder of {@link SparkDebugOptions}. Not thread safe. */
    public static final class Builder {
        private NanPolicy nanPolicy = NanPolicy.LOG;
        private GradientMonitorConfig gradients = GradientMonitorConfig.defaults();
        private ActivationMonitorConfig activations = ActivationMonitorConfig.defaults();
        private RuleConfig rules = RuleConfig.defaults();
        private int workerWindow = DEFAULT_WORKER_WINDOW;
        private boolean workerLogging = true;
        private DataSetIterator validation;
        private String sessionId;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param policy at a worker's first NaN/Inf: LOG (default; training goes on) or THROW (the Spark task fails
         *               with NonFiniteException); STOP is refused (nothing can end a worker's {@code fit})
         * @return this builder
         */
        public Builder nanPolicy(NanPolicy policy) {
            this.nanPolicy = Objects.requireNonNull(policy, "nanPolicy must not be null; valid: LOG, THROW");
            if (policy == NanPolicy.STOP) {
                throw new IllegalArgumentException("nanPolicy STOP cannot end fit on Spark workers (DL4J feeds them "
                        + "one minibatch at a time); valid: LOG or THROW");
            }
            return this;
        }

        /**
         * @param config the gradient monitor's configuration on the workers
         * @return this builder
         */
        public Builder gradientConfig(GradientMonitorConfig config) {
            this.gradients = Objects.requireNonNull(config, "gradientConfig must not be null");
            return this;
        }

        /**
         * @param config the activation monitor's configuration on the workers
         * @return this builder
         */
        public Builder activationConfig(ActivationMonitorConfig config) {
            this.activations = Objects.requireNonNull(config, "activationConfig must not be null");
            return this;
        }

        /**
         * @param config the rules' thresholds (workers and driver)
         * @return this builder
         */
        public Builder ruleConfig(RuleConfig config) {
            this.rules = Objects.requireNonNull(config, "ruleConfig must not be null");
            return this;
        }

        /**
         * @param iterations a worker's iterations judged as one epoch (default {@value #DEFAULT_WORKER_WINDOW})
         * @return this builder
         */
        public Builder workerWindow(int iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("workerWindow must be >= 1 but was " + iterations);
            }
            this.workerWindow = iterations;
            return this;
        }

        /**
         * @param on whether the executors log findings as they are made (default true)
         * @return this builder
         */
        public Builder workerLogging(boolean on) {
            this.workerLogging = on;
            return this;
        }

        /**
         * @param validation validation data (resettable), scored on the driver's averaged network at each
         *                   {@code endEpoch()}; null for none
         * @return this builder
         */
        public Builder validation(DataSetIterator validation) {
            this.validation = validation;
            return this;
        }

        /**
         * @param sessionId the session of every record (e.g. a {@code StatsListener}'s, so the UI shows one
         *                  session); non-blank
         * @return this builder
         */
        public Builder sessionId(String sessionId) {
            if (sessionId == null || sessionId.isBlank()) {
                throw new IllegalArgumentException("sessionId must be a non-blank string but was '" + sessionId
                        + "'");
            }
            this.sessionId = sessionId;
            return this;
        }

        /**
         * @param listener another listener of the Spark network (e.g. DL4J's {@code StatsListener}): attach sets the
         *                 network's listeners, these first
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /** @return the options */
        public SparkDebugOptions build() {
            return new SparkDebugOptions(this);
        }
    }
}
