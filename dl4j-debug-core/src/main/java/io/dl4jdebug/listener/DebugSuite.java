package io.dl4jdebug.listener;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.NonFiniteConfig;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.publish.LoggingSink;
import io.dl4jdebug.publish.RecordingSink;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole monitoring suite in one object: a {@link GradientMonitor}, an {@link ActivationMonitor} and a
 * {@link NonFiniteDetector} sharing the same sinks (a {@link LoggingSink}, a {@link RecordingSink} and any added).
 *
 * <pre>{@code
 * DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).build().attachTo(net);
 * net.fit(suite.guard(trainIterator), 5);
 * suite.findings().forEach(System.out::println);
 * }</pre>
 * Not thread safe.
 */
public final class DebugSuite {

    private final RecordingSink recording;
    private final GradientMonitor gradients;
    private final ActivationMonitor activations;
    private final NonFiniteDetector nonFinite;

    private DebugSuite(Builder b) {
        this.recording = new RecordingSink(b.recordingCapacity);
        List<DebugSink> sinks = new ArrayList<>();
        if (b.logging) {
            sinks.add(new LoggingSink());
        }
        sinks.add(recording);
        sinks.addAll(b.sinks);
        this.gradients = new GradientMonitor(b.gradientConfig, sinks);
        this.activations = new ActivationMonitor(b.activationConfig, sinks);
        this.nonFinite = new NonFiniteDetector(b.nonFiniteConfig, sinks);
    }

    /** @return a builder with the defaults (policy LOG, logging on) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds the suite's listeners to a network, after the listeners it already has.
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @return this suite
     * @throws io.dl4jdebug.model.UnsupportedModelException for other model types
     */
    public DebugSuite attachTo(Model model) {
        ModelView.of(model).addListeners(listeners().toArray(new TrainingListener[0]));
        return this;
    }

    /** @return the detector first (so a forward-pass NaN is reported before other listeners run), then monitors */
    public List<TrainingListener> listeners() {
        return List.of(nonFinite, gradients, activations);
    }

    /** @return the gradient monitor */
    public GradientMonitor gradientMonitor() {
        return gradients;
    }

    /** @return the activation monitor */
    public ActivationMonitor activationMonitor() {
        return activations;
    }

    /** @return the non-finite detector */
    public NonFiniteDetector nonFiniteDetector() {
        return nonFinite;
    }

    /** @return the in-memory record of snapshots and findings */
    public RecordingSink recording() {
        return recording;
    }

    /** @return the findings so far, in the order they were made */
    public List<Finding> findings() {
        return recording.findings();
    }

    /** @return the first non-finite event, if any */
    public Optional<NonFiniteEvent> firstNonFinite() {
        return nonFinite.firstEvent();
    }

    /**
     * @param iterator a training iterator
     * @return it, wrapped so that policy STOP can end {@code fit} cleanly
     */
    public DataSetIterator guard(DataSetIterator iterator) {
        return nonFinite.guard(iterator);
    }

    /**
     * @param iterator a training iterator of a ComputationGraph
     * @return it, wrapped so that policy STOP can end {@code fit} cleanly
     */
    public MultiDataSetIterator guard(MultiDataSetIterator iterator) {
        return nonFinite.guard(iterator);
    }

    /** Builder of {@link DebugSuite}. Not thread safe. */
    public static final class Builder {
        private GradientMonitorConfig gradientConfig = GradientMonitorConfig.defaults();
        private ActivationMonitorConfig activationConfig = ActivationMonitorConfig.defaults();
        private NonFiniteConfig nonFiniteConfig = NonFiniteConfig.defaults();
        private boolean logging = true;
        private int recordingCapacity = RecordingSink.DEFAULT_CAPACITY;
        private final List<DebugSink> sinks = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param config gradient monitor configuration
         * @return this builder
         */
        public Builder gradientConfig(GradientMonitorConfig config) {
            this.gradientConfig = Objects.requireNonNull(config, "gradientConfig must not be null");
            return this;
        }

        /**
         * @param config activation monitor configuration
         * @return this builder
         */
        public Builder activationConfig(ActivationMonitorConfig config) {
            this.activationConfig = Objects.requireNonNull(config, "activationConfig must not be null");
            return this;
        }

        /**
         * @param config non-finite detector configuration
         * @return this builder
         */
        public Builder nonFiniteConfig(NonFiniteConfig config) {
            this.nonFiniteConfig = Objects.requireNonNull(config, "nonFiniteConfig must not be null");
            return this;
        }

        /**
         * @param policy what to do at the first non-finite value (checked every iteration)
         * @return this builder
         */
        public Builder nanPolicy(NanPolicy policy) {
            this.nonFiniteConfig = NonFiniteConfig.of(Objects.requireNonNull(policy,
                    "nanPolicy must not be null; valid: THROW, STOP, LOG"));
            return this;
        }

        /**
         * @param logging whether findings are logged (default true)
         * @return this builder
         */
        public Builder logging(boolean logging) {
            this.logging = logging;
            return this;
        }

        /**
         * @param capacity snapshots of each kind the recording keeps (default 1000)
         * @return this builder
         */
        public Builder recordingCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("recordingCapacity must be >= 1 but was " + capacity);
            }
            this.recordingCapacity = capacity;
            return this;
        }

        /**
         * @param sink an additional sink for every listener of the suite
         * @return this builder
         */
        public Builder sink(DebugSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink must not be null"));
            return this;
        }

        /** @return the suite */
        public DebugSuite build() {
            return new DebugSuite(this);
        }
    }
}
