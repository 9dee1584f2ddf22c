package io.dl4jdebug.spark;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.NonFiniteConfig;
import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.publish.DebugSink;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a Spark executor needs to build the suite of one training session: the monitors' and rules' configuration,
 * shipped inside {@link SparkDebugListener} (no iterator, no sink, no file).
 *
 * @param nonFinite    the non-finite detector's configuration (policy LOG or THROW; STOP cannot end a worker's
 *                     {@code fit})
 * @param gradients    the gradient monitor's configuration
 * @param activations  the activation monitor's configuration
 * @param rules        the rules' thresholds
 * @param workerWindow iterations of a worker judged as one epoch (workers never see an epoch end)
 * @param logging      whether the executors log findings as they are made
 */
public record WorkerSuiteSpec(NonFiniteConfig nonFinite, GradientMonitorConfig gradients,
                              ActivationMonitorConfig activations, RuleConfig rules, int workerWindow,
                              boolean logging) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public WorkerSuiteSpec {
        Objects.requireNonNull(nonFinite, "nonFinite must not be null");
        Objects.requireNonNull(gradients, "gradients must not be null");
        Objects.requireNonNull(activations, "activations must not be null");
        Objects.requireNonNull(rules, "rules must not be null");
        if (nonFinite.policy() == NanPolicy.STOP) {
            throw new IllegalArgumentException("nanPolicy STOP cannot end fit on Spark workers (DL4J feeds them one "
                    + "minibatch at a time, no iterator to guard); valid: LOG (training goes on) or THROW (the task "
                    + "fails with NonFiniteException)");
        }
        if (workerWindow < 1) {
            throw new IllegalArgumentException("workerWindow must be >= 1 but was " + workerWindow);
        }
    }

    /**
     * @param sink where the workers' snapshots and findings go (besides the suite's own recording)
     * @return a suite built from this specification
     */
    DebugSuite build(DebugSink sink) {
        return DebugSuite.builder().nonFiniteConfig(nonFinite).gradientConfig(gradients).activationConfig(activations)
                .ruleConfig(rules).workerWindow(workerWindow).logging(logging).sink(sink).build();
    }
}
