package io.dl4jdebug.listener;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.NonFiniteConfig;
import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Diagnostician;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.diagnose.RuleEngine;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.facts.NetworkFactsReader;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.publish.FailureTally;
import io.dl4jdebug.publish.JsonReportSink;
import io.dl4jdebug.publish.LoggingSink;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.publish.SinkGroup;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole monitoring suite in one object: a {@link GradientMonitor}, an {@link ActivationMonitor}, a
 * {@link NonFiniteDetector} and a {@link LossMonitor} sharing the same sinks (a {@link LoggingSink}, a
 * {@link RecordingSink}, an optional {@link JsonReportSink} and any added), with the diagnosis rules
 * ({@link RuleEngine}, through a {@link RuleSink}) judging every snapshot.
 *
 * <pre>{@code
 * DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).validation(testIterator)
 *         .report(Path.of("dl4j-debug-report.json")).build().attachTo(net);
 * net.fit(suite.guard(trainIterator), 5);
 * suite.close(); // writes the final report
 * suite.findings().forEach(System.out::println);
 * }</pre>
 *
 * <p>Under DL4J's {@code ParallelWrapper} (which moves the network's listeners to its workers and calls the same
 * listener objects from every worker thread, each worker training its replica with {@code fit(DataSet)}) the suite
 * keeps per-worker state: each worker's snapshots and findings carry its ID ({@code worker-0}, {@code worker-1}, ...;
 * see {@link Workers}), each worker has its own rule engine, the first NaN/Inf of any worker is reported once. No epoch
 * ends there, so the per-epoch parts (epoch losses, validation loss, the fitting diagnosis, train/inference agreement)
 * are skipped; the iteration-window rules run per worker. The builder is not thread safe; the listeners and the
 * default sinks are.
 */
public final class DebugSuite implements AutoCloseable {

    private final RecordingSink recording;
    private final GradientMonitor gradients;
    private final ActivationMonitor activations;
    private final NonFiniteDetector nonFinite;
    private final LossMonitor loss;
    private final RuleSink rules;
    private final JsonReportSink report;
    private final boolean gradientsOn;
    private final boolean activationsOn;
    private final SinkGroup published;
    private final FailureTally failures = new FailureTally();
    private volatile NetworkFacts facts = NetworkFacts.unknown();
    /** The diagnosis handed to the sinks last, null before the first. */
    private volatile Diagnosis lastPublished;
    private boolean closed;

    private DebugSuite(Builder b) {
        this.recording = b.recordingCapacity == null ? new RecordingSink()
                : new RecordingSink(b.recordingCapacity);
        List<DebugSink> downstream = new ArrayList<>();
        if (b.logging) {
            downstream.add(new LoggingSink());
        }
        downstream.add(recording);
        downstream.addAll(b.sinks);
        this.report = b.report == null ? null : new JsonReportSink(b.report).writtenByOwner();
        if (report != null) {
            downstream.add(report);
        }
        // Last: the diagnosis is computed once per event, after every sink has the event, pushed to all of them,
        // then the report is written with it.
        downstream.add(new DiagnosisPublisher(this::diagnosis, this::toEverySink, report));
        // The rules come first: the findings of a snapshot reach the other sinks before the snapshot itself, so the
        // report written at an epoch's end already holds that epoch's findings.
        List<DebugSink> sinks = new ArrayList<>();
        if (b.rules) {
            RuleConfig ruleConfig = b.ruleConfig;
            GradientMonitorConfig gradientConfig = b.gradientConfig;
            ActivationMonitorConfig activationConfig = b.activationConfig;
            this.rules = new RuleSink(() -> RuleEngine.of(ruleConfig, gradientConfig, activationConfig), downstream)
                    .reportFailuresTo(failures);
            sinks.add(rules);
            if (report != null) {
                report.fittingStatus(rules::fittingStatus);
            }
        } else {
            this.rules = null;
        }
        sinks.addAll(downstream);
        this.published = new SinkGroup(downstream).reportFailuresTo(failures);
        b.checklist.forEach(published::checklist);
        this.gradients = new GradientMonitor(b.gradientConfig, sinks);
        this.activations = new ActivationMonitor(b.activationConfig, sinks);
        this.nonFinite = new NonFiniteDetector(b.nonFiniteConfig, sinks);
        this.loss = new LossMonitor(b.lossSchedule, b.validation, b.trainEvaluation, b.workerWindow, sinks);
        for (DebugListener l : List.of(gradients, activations, nonFinite, loss)) {
            l.reportFailuresTo(failures);
        }
        this.gradientsOn = b.gradientMonitor;
        this.activationsOn = b.activationMonitor;
        if (report != null) {
            report.failures(failures);
        }
    }

    /** @return a builder with the defaults (NaN policy LOG: training goes on; logging on) */
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
        ModelView view = ModelView.of(model);
        view.addListeners(listeners().toArray(new TrainingListener[0]));
        this.facts = NetworkFactsReader.read(view);
        if (report != null) {
            report.model(view);
        }
        return this;
    }

    /**
     * @return the detector first (so a forward-pass NaN is reported before other listeners run), then the enabled
     *         monitors, then the loss monitor
     */
    public List<TrainingListener> listeners() {
        List<TrainingListener> list = new ArrayList<>();
        list.add(nonFinite);
        if (gradientsOn) {
            list.add(gradients);
        }
        if (activationsOn) {
            list.add(activations);
        }
        list.add(loss);
        return List.copyOf(list);
    }

    /** @return the loss monitor */
    public LossMonitor lossMonitor() {
        return loss;
    }

    /** @return the rule engine, empty when rules were switched off */
    public Optional<RuleEngine> ruleEngine() {
        return rules == null ? Optional.empty() : Optional.of(rules.engine());
    }

    /** @return the fitting verdict of the latest epoch ({@code KEEP_WATCHING} without rules or epochs) */
    public FittingStatus fittingStatus() {
        return rules == null ? FittingStatus.KEEP_WATCHING : rules.fittingStatus();
    }

    /** @return the JSON report sink, when a report file was configured */
    public Optional<JsonReportSink> report() {
        return Optional.ofNullable(report);
    }

    /**
     * Publishes the final diagnosis to every sink, logs one WARN line per listener or sink that failed (with the
     * count), writes the final JSON report (when one was configured, with the same counts as {@code "failures"})
     * and removes its shutdown hook. Idempotent.
     *
     * @throws java.io.UncheckedIOException when the report cannot be written (naming the file)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        toEverySink(diagnosis());
        failures.logSummary();
        if (report != null) {
            report.close();
        }
    }

    /** @return the failures of the suite's listeners and sinks so far, one entry per part with its count */
    public List<FailureTally.Failure> failures() {
        return failures.failures();
    }

    /**
     * @return the tally the suite's parts count their failures in and the JSON report writes as {@code "failures"};
     *         hand it to {@code FixVerifier.reportFailuresTo} so that remedies that fail on a copy are listed too
     */
    public FailureTally failureTally() {
        return failures;
    }

    /**
     * Hands a diagnosis made outside the listeners (typically {@code FixVerifier}'s verified one) to every sink and
     * makes it the one the JSON report writes; the report file is rewritten at once.
     *
     * @param diagnosis the diagnosis
     */
    public void publish(Diagnosis diagnosis) {
        Objects.requireNonNull(diagnosis, "diagnosis must not be null");
        toEverySink(diagnosis);
        if (report != null) {
            report.writeNow("verified");
        }
    }

    private void toEverySink(Diagnosis diagnosis) {
        lastPublished = diagnosis;
        published.diagnosis(diagnosis);
    }

    /**
     * @return the diagnosis handed to the sinks last (at an epoch's end, a NaN/Inf finding, {@link #close()}, or a
     *         verified one through {@link #publish(Diagnosis)}), without computing one; empty before the first
     */
    public Optional<Diagnosis> publishedDiagnosis() {
        return Optional.ofNullable(lastPublished);
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

    /**
     * Hands findings made outside the listeners (the quick checklist, the minimal example, a gradient check) to the
     * suite's sinks, so that the log, {@link #findings()}, the JSON report and any UI show them with the others.
     *
     * @param findings the findings
     */
    public void publish(List<Finding> findings) {
        for (Finding f : findings) {
            published.finding(f);
        }
    }

    /**
     * The diagnosis of the findings so far: incidents (root cause first, consequences folded under it, a fix worded
     * from the network's configuration as it was when the suite was attached), not yet verified on a copy (see
     * {@code io.dl4jdebug.repair.FixVerifier}).
     *
     * @return the diagnosis
     */
    public Diagnosis diagnosis() {
        return Diagnostician.diagnose(findings(), facts, lossSummary());
    }

    /** @return the configuration facts read when the suite was attached ({@link NetworkFacts#unknown()} before) */
    public NetworkFacts networkFacts() {
        return facts;
    }

    /** @return the training loss curve in four numbers (empty when the rules are switched off) */
    public LossSummary lossSummary() {
        if (rules == null) {
            return LossSummary.none();
        }
        LossSummary own = rules.engine().lossSummary();
        if (own.measured()) {
            return own;
        }
        // Under ParallelWrapper only the workers' engines saw scores: the first worker's curve stands for the run.
        return rules.workerEngines().values().stream().map(e -> {
            synchronized (e) {
                return e.lossSummary();
            }
        }).filter(LossSummary::measured)
                .findFirst().orElse(own);
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
        private Integer recordingCapacity;
        private final List<DebugSink> sinks = new ArrayList<>();
        private RuleConfig ruleConfig = RuleConfig.defaults();
        private boolean rules = true;
        private boolean gradientMonitor = true;
        private boolean activationMonitor = true;
        private Schedule lossSchedule = Schedule.defaults();
        private int workerWindow = LossMonitor.DEFAULT_WORKER_WINDOW;
        private DataSetIterator validation;
        private DataSetIterator trainEvaluation;
        private Path report;
        private List<ChecklistItem> checklist = List.of();

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
         * @param policy what to do at the first non-finite value (checked every iteration; default LOG, training goes
         *               on; STOP needs the training iterator wrapped by {@link DebugSuite#guard(DataSetIterator)})
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
         * @param capacity snapshots of each kind the recording keeps (default: 1000 score and epoch snapshots, 100
         *                 gradient, activation and layer-wrapper snapshots; see {@link RecordingSink})
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

        /**
         * @param config thresholds of the diagnosis rules
         * @return this builder
         */
        public Builder ruleConfig(RuleConfig config) {
            this.ruleConfig = Objects.requireNonNull(config, "ruleConfig must not be null");
            return this;
        }

        /**
         * @param rules whether the diagnosis rules judge the snapshots (default true)
         * @return this builder
         */
        public Builder rules(boolean rules) {
            this.rules = rules;
            return this;
        }

        /**
         * @param on whether the gradient monitor is attached (default true)
         * @return this builder
         */
        public Builder gradientMonitor(boolean on) {
            this.gradientMonitor = on;
            return this;
        }

        /**
         * @param on whether the activation monitor is attached (default true)
         * @return this builder
         */
        public Builder activationMonitor(boolean on) {
            this.activationMonitor = on;
            return this;
        }

        /**
         * @param iterations under DL4J's ParallelWrapper (where no epoch ends), how many of a worker's iterations are
         *                   judged as one epoch: its training and validation losses, the fitting and
         *                   train/inference rules (default {@value LossMonitor#DEFAULT_WORKER_WINDOW})
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
         * @param schedule when the loss monitor measures the regularization part of the score (default
         *                 {@link Schedule#defaults()})
         * @return this builder
         */
        public Builder lossSchedule(Schedule schedule) {
            this.lossSchedule = Objects.requireNonNull(schedule, "lossSchedule must not be null");
            return this;
        }

        /**
         * @param validation validation data (resettable) for the per-epoch validation loss and the fitting
         *                   diagnosis; null for none
         * @return this builder
         */
        public Builder validation(DataSetIterator validation) {
            this.validation = validation;
            return this;
        }

        /**
         * @param trainEvaluation training data (resettable) for an inference-mode training loss per epoch; null
         *                        (default) uses the epoch's mean minibatch score
         * @return this builder
         */
        public Builder trainEvaluation(DataSetIterator trainEvaluation) {
            this.trainEvaluation = trainEvaluation;
            return this;
        }

        /**
         * @param file where the JSON report is written; null (default) for no report file
         * @return this builder
         */
        public Builder report(Path file) {
            this.report = file;
            return this;
        }

        /**
         * @param items quick-checklist results, handed to every sink when the suite is built (the JSON report writes
         *              them, the Debug page shows them)
         * @return this builder
         */
        public Builder checklist(List<ChecklistItem> items) {
            this.checklist = List.copyOf(Objects.requireNonNull(items, "checklist must not be null"));
            return this;
        }

        /** @return the suite */
        public DebugSuite build() {
            return new DebugSuite(this);
        }
    }
}
