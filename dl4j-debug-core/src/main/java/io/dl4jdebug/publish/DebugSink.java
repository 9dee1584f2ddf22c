package io.dl4jdebug.publish;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.LayerProbeSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ScoreSnapshot;

/**
 * Receives what the monitors measured and found. Every method is a no-op by default; a sink only publishes, it
 * never computes. Calls come from the training thread, inside DL4J callbacks: keep them quick. A sink that throws
 * is reported once and skipped; training goes on (see {@link SinkGroup}).
 */
public interface DebugSink {

    /** @return the name used when this sink fails; the class name by default */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * A gradient snapshot was taken.
     *
     * @param snapshot the immutable snapshot (shared with every other sink)
     */
    default void onGradients(GradientSnapshot snapshot) {
    }

    /**
     * An activation snapshot was taken.
     *
     * @param snapshot the immutable snapshot (shared with every other sink)
     */
    default void onActivations(ActivationSnapshot snapshot) {
    }

    /**
     * The layer wrappers measured a training pass (layer outputs and the activation gradients between layers).
     *
     * @param snapshot the immutable snapshot (shared with every other sink)
     */
    default void onLayerProbes(LayerProbeSnapshot snapshot) {
    }

    /**
     * The first non-finite value of the run appeared.
     *
     * @param event where it appeared
     */
    default void onNonFinite(NonFiniteEvent event) {
    }

    /**
     * A rule produced a finding (once per symptom and location).
     *
     * @param finding the finding
     */
    default void onFinding(Finding finding) {
    }

    /**
     * One item of the quick checklist that ran before training (handed over when the suite is built).
     *
     * @param item the item's result
     */
    default void onChecklist(io.dl4jdebug.diagnose.ChecklistItem item) {
    }

    /**
     * The loss of one training iteration was recorded.
     *
     * @param snapshot the immutable snapshot
     */
    default void onScore(ScoreSnapshot snapshot) {
    }

    /**
     * An epoch ended; its training (and validation) loss was measured.
     *
     * @param snapshot the immutable snapshot
     */
    default void onEpoch(EpochSnapshot snapshot) {
    }

    /**
     * The fitting diagnosis (article section 4.3) judged an epoch.
     *
     * @param status the verdict
     * @param epoch  the epoch's losses it was judged from
     */
    default void onFitting(io.dl4jdebug.diagnose.FittingStatus status, io.dl4jdebug.measure.EpochSnapshot epoch) {
    }

    /**
     * The diagnosis of the findings so far: incidents, root cause first (published by the suite at the end of every
     * epoch, when it is closed, and again once fixes were verified on copies). Each call replaces the previous one.
     *
     * @param diagnosis the newest diagnosis
     */
    default void onDiagnosis(io.dl4jdebug.diagnose.Diagnosis diagnosis) {
    }
}
