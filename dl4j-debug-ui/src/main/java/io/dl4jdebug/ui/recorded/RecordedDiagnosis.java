package io.dl4jdebug.ui.recorded;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Diagnostician;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.LossTracker;
import io.dl4jdebug.diagnose.Severity;
import org.deeplearning4j.core.storage.StatsStorage;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The diagnosis of a run recorded by DL4J's {@code StatsListener} alone: the findings of the rules its statistics
 * support ({@link RecordedRules}), grouped into incidents by core's {@link Diagnostician} exactly as a live run's
 * are, the checks that ran or could not, and the checks that need dl4j-debug attached during training.
 * <pre>
 * RecordedDiagnosis d = RecordedDiagnosis.of(Path.of("run.dl4j"));   // a FileStatsStorage file
 * d.diagnosis().first().ifPresent(i -&gt; System.out.println(i.symptom() + ": " + i.fix()));
 * </pre>
 * Fixes are worded from the network's configuration stored by StatsListener; none is tried on a copy (there is no
 * data in a stats file). Immutable.
 *
 * @param run       the recorded run
 * @param findings  the rules' findings, in the order they were produced
 * @param diagnosis the incidents, root cause first
 * @param checks    what was checked, and what the stored statistics could not support
 */
public record RecordedDiagnosis(RecordedRun run, List<Finding> findings, Diagnosis diagnosis,
                                List<RecordedCheck> checks) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * What only dl4j-debug attached during training measures: none of it can be read from a StatsListener recording.
     */
    public static final List<String> NEEDS_DL4J_DEBUG = List.of(
            "where a NaN/Inf started: the first iteration, the layer, the parameter, input vs activation vs gradient, "
                    + "forward or backward pass (NonFiniteDetector, layer wrappers)",
            "dead and saturated units per unit, and activation collapse (every example giving the same output) "
                    + "(ActivationMonitor)",
            "exact per-example gradient norms and update:parameter ratios, every iteration at the start of training "
                    + "(GradientMonitor; StatsListener reports mean magnitudes every N iterations)",
            "validation loss, over/underfitting, train vs inference-mode loss (BatchNorm running statistics), the "
                    + "share of regularization in the loss (LossMonitor with a validation set)",
            "the quick checklist: data scale, labels, class balance, train/validation leakage, loss/output fit, loss "
                    + "at init, dropout, BatchNorm configuration, determinism (QuickChecklist)",
            "gradient check against finite differences (GradientChecker)",
            "the minimal example and layer bisection (MinimalExample)",
            "fixes tried on a copy of the network (FixVerifier)");

    /** Copies the lists. */
    public RecordedDiagnosis {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(diagnosis, "diagnosis");
        findings = List.copyOf(findings);
        checks = List.copyOf(checks);
    }

    /**
     * @param file a FileStatsStorage file written with DL4J's StatsListener
     * @return the diagnosis of its newest session
     * @throws RecordedRunException when the file holds no StatsListener recording
     */
    public static RecordedDiagnosis of(Path file) {
        return of(StatsFileReader.read(file));
    }

    /**
     * @param storage   an open storage (not closed)
     * @param source    how to name it in messages
     * @param sessionId the session, null for the newest holding StatsListener records
     * @return the diagnosis of that session
     * @throws RecordedRunException when the storage holds no such StatsListener recording
     */
    public static RecordedDiagnosis of(StatsStorage storage, String source, String sessionId) {
        return of(StatsFileReader.read(storage, source, sessionId));
    }

    /**
     * @param run a recorded run
     * @return its diagnosis
     */
    public static RecordedDiagnosis of(RecordedRun run) {
        RecordedRules.Result judged = RecordedRules.judge(run);
        LossTracker loss = new LossTracker(RecordedRules.lossConfig(run.reportingFrequency()).lossWindow());
        run.reports().forEach(r -> loss.add(r.score()));
        // the summary counts reports; the diagnosis says how many training iterations the recording covers
        LossSummary s = loss.summary();
        LossSummary summary = new LossSummary(Math.max(s.iterations(), run.lastIteration() + 1), s.window(),
                s.first(), s.best(), s.last(), s.nonFinite());
        Diagnosis diagnosis = Diagnostician.diagnose(judged.findings(), run.facts(), summary);
        return new RecordedDiagnosis(run, judged.findings(), diagnosis, judged.checks());
    }

    /** @return true when some incident is an ERROR */
    public boolean hasErrors() {
        return diagnosis.loud().stream().anyMatch(i -> i.severity() == Severity.ERROR);
    }
}
