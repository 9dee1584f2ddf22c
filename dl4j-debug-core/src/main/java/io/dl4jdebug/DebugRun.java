package io.dl4jdebug;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.preflight.QuickChecklist;
import io.dl4jdebug.repair.FixVerifier;
import io.dl4jdebug.repair.VerifyBudget;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The whole method on one network, in one place: the quick checklist on copies of the network, training with the
 * {@link DebugSuite} attached (the checklist's findings published first; NaN policy STOP: training ends at the first
 * non-finite value), the diagnosis, the fixes of its loud incidents tried on copies ({@link FixVerifier}: compared on
 * the validation data when given, else on held-back training batches; failures counted in the suite's report), and the
 * verified diagnosis published to the suite's sinks (JSON report, UI). {@code diagnose}, the gallery, the scenario
 * set and the case study all run through it, so they diagnose the same network the same way. Front ends print
 * between the stages through an {@link Observer}. Not thread safe; a run is used once.
 */
public final class DebugRun {

    /**
     * What a front end sees between the stages; every method does nothing by default.
     */
    public interface Observer {
        /** @param checklist the checklist's report, before training */
        default void checklistDone(ChecklistReport checklist) {
        }

        /**
         * @param epoch the epoch just trained (0-based)
         */
        default void epochDone(int epoch) {
        }

        /**
         * Training is over and the suite still open: what the front end publishes now (e.g. the minimal example's
         * findings) is part of the diagnosis.
         *
         * @param suite the suite, still open
         */
        default void beforeDiagnosis(DebugSuite suite) {
        }

        /**
         * @param suite      the suite, closed
         * @param iterations the iterations trained
         * @param seconds    the training's wall time
         */
        default void trainingDone(DebugSuite suite, long iterations, double seconds) {
        }

        /**
         * @param diagnosis the verified diagnosis
         * @param seconds   the time the fix trials took
         */
        default void verified(Diagnosis diagnosis, double seconds) {
        }
    }

    /**
     * What a run produced.
     *
     * @param checklist     the checklist's report (empty report when the checklist was off)
     * @param suite         the suite, closed (findings, recording, failures)
     * @param diagnosis     the diagnosis, verified when fixes were tried
     * @param iterations    the iterations trained
     * @param trainSeconds  the training's wall time
     * @param verifySeconds the fix trials' wall time (0 when none ran)
     */
    public record Result(ChecklistReport checklist, DebugSuite suite, Diagnosis diagnosis, long iterations,
                         double trainSeconds, double verifySeconds) {
    }

    private final Model network;
    private final DataSetIterator train;
    private final DataSetIterator validation;
    private final DataSetIterator trainEvaluation;
    private final int epochs;
    private final long iterations;
    private final boolean checklist;
    private final UnaryOperator<DebugSuite.Builder> suite;
    private final VerifyBudget verify;
    private final List<TrainingListener> listeners;
    private final Observer observer;

    private DebugRun(Builder b) {
        this.network = b.network;
        this.train = b.train;
        this.validation = b.validation;
        this.trainEvaluation = b.trainEvaluation;
        this.epochs = b.epochs;
        this.iterations = b.iterations;
        this.checklist = b.checklist;
        this.suite = b.suite;
        this.verify = b.verify;
        this.listeners = List.copyOf(b.listeners);
        this.observer = b.observer;
    }

    /**
     * @param network an initialised MultiLayerNetwork or ComputationGraph (trained in place)
     * @return a builder
     */
    public static Builder on(Model network) {
        return new Builder(network);
    }

    /** @return what the run produced */
    public Result run() {
        ChecklistReport report = checklist ? QuickChecklist.withDefaults().run(network, train, validation)
                : new ChecklistReport(List.of(), List.of());
        observer.checklistDone(report);
        DebugSuite.Builder b = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false).validation(validation)
                .trainEvaluation(trainEvaluation).checklist(report.items());
        DebugSuite s = suite.apply(b).build().attachTo(network);
        if (!listeners.isEmpty()) {
            ModelView.of(network).addListeners(listeners.toArray(new TrainingListener[0]));
        }
        s.publish(report.findings());
        long start = System.nanoTime();
        long before = BaseOptimizer.getIterationCount(network);
        NeuralNetwork nn = (NeuralNetwork) network;
        for (int e = 0; e < epochs && s.firstNonFinite().isEmpty(); e++) {
            long left = iterations - (BaseOptimizer.getIterationCount(network) - before);
            if (left <= 0) {
                break;
            }
            train.reset();
            DataSetIterator epoch = left == Long.MAX_VALUE ? train
                    : new EarlyTerminationDataSetIterator(train, (int) Math.min(Integer.MAX_VALUE, left));
            nn.fit(s.guard(epoch));
            observer.epochDone(e);
        }
        long trained = BaseOptimizer.getIterationCount(network) - before;
        observer.beforeDiagnosis(s);
        s.close();
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        observer.trainingDone(s, trained, trainSeconds);
        // the diagnosis close() computed and handed to the sinks: not computed a second time
        Diagnosis diagnosis = s.publishedDiagnosis().orElseGet(s::diagnosis);
        double verifySeconds = 0;
        if (verify != null && !diagnosis.loud().isEmpty()) {
            long t = System.nanoTime();
            FixVerifier verifier = new FixVerifier(verify).reportFailuresTo(s.failureTally());
            // the copies are compared on the validation data when there is some, else on held-back training batches
            diagnosis = validation == null ? verifier.verify(network, diagnosis, train)
                    : verifier.verify(network, diagnosis, train, validation);
            verifySeconds = (System.nanoTime() - t) / 1e9;
            s.publish(diagnosis);
            observer.verified(diagnosis, verifySeconds);
        }
        return new Result(report, s, diagnosis, trained, trainSeconds, verifySeconds);
    }

    /** Builds a {@link DebugRun}; {@link #train} is required. Not thread safe. */
    public static final class Builder {
        private final Model network;
        private DataSetIterator train;
        private DataSetIterator validation;
        private DataSetIterator trainEvaluation;
        private int epochs = 1;
        private long iterations = Long.MAX_VALUE;
        private boolean checklist = true;
        private UnaryOperator<DebugSuite.Builder> suite = UnaryOperator.identity();
        private VerifyBudget verify;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Observer observer = new Observer() {
        };

        private Builder(Model network) {
            ModelView.requireSupported(network);
            this.network = network;
        }

        /**
         * @param data the training data (resettable); also what the fix trials train on
         * @return this builder
         */
        public Builder train(DataSetIterator data) {
            this.train = Objects.requireNonNull(data, "train must not be null");
            return this;
        }

        /**
         * @param data held-out data for the validation loss per epoch, or null for none
         * @return this builder
         */
        public Builder validation(DataSetIterator data) {
            this.validation = data;
            return this;
        }

        /**
         * @param data the training data scored in inference mode at each epoch's end, or null for none
         * @return this builder
         */
        public Builder trainEvaluation(DataSetIterator data) {
            this.trainEvaluation = data;
            return this;
        }

        /**
         * @param epochs passes over the training data (default 1)
         * @return this builder
         */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1 but was " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * Trains this many iterations, as many passes as that takes (the last one cut short).
         *
         * @param iterations iterations to train
         * @return this builder
         */
        public Builder iterations(long iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be >= 1 but was " + iterations);
            }
            this.iterations = iterations;
            this.epochs = Integer.MAX_VALUE;
            return this;
        }

        /**
         * @param on whether the quick checklist runs before training (default true)
         * @return this builder
         */
        public Builder checklist(boolean on) {
            this.checklist = on;
            return this;
        }

        /**
         * @param customizer changes to the suite's builder (sinks, report, logging, schedules, NaN policy) on top of
         *                   the run's defaults (NaN policy STOP, no logging, the validation and training-evaluation
         *                   data, the checklist's items)
         * @return this builder
         */
        public Builder suite(UnaryOperator<DebugSuite.Builder> customizer) {
            this.suite = Objects.requireNonNull(customizer, "customizer must not be null");
            return this;
        }

        /**
         * @param budget what the fix trials may spend, or null to try no fix (the default)
         * @return this builder
         */
        public Builder verify(VerifyBudget budget) {
            this.verify = budget;
            return this;
        }

        /**
         * @param listener a further listener trained with the network (a progress bar, DL4J's StatsListener)
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * @param observer what the front end does between the stages
         * @return this builder
         */
        public Builder observer(Observer observer) {
            this.observer = Objects.requireNonNull(observer, "observer must not be null");
            return this;
        }

        /**
         * @return the run
         * @throws IllegalStateException when no training data was given
         */
        public DebugRun build() {
            if (train == null) {
                throw new IllegalStateException("train(DataSetIterator) is required: the data the network trains on");
            }
            return new DebugRun(this);
        }
    }
}
