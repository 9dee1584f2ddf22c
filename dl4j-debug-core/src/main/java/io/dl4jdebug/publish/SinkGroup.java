package io.dl4jdebug.publish;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.LayerProbeSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ScoreSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands every snapshot and finding to each of its sinks, isolating them: a sink that throws is reported once (by
 * name, with the exception) and later failures of that sink are logged at debug level only, but counted in the
 * group's {@link FailureTally}; the others still receive everything and training goes on. Thread safe.
 */
public final class SinkGroup {

    private static final Logger LOG = LoggerFactory.getLogger(SinkGroup.class);

    private final List<DebugSink> sinks = new CopyOnWriteArrayList<>();
    private volatile FailureTally failures = new FailureTally();

    /**
     * @param sinks the initial sinks
     */
    public SinkGroup(List<? extends DebugSink> sinks) {
        for (DebugSink s : sinks) {
            add(s);
        }
    }

    /**
     * @param tally where this group counts its sinks' failures from now on (shared by a suite's parts)
     * @return this group
     */
    public SinkGroup reportFailuresTo(FailureTally tally) {
        this.failures = Objects.requireNonNull(tally, "tally must not be null");
        return this;
    }

    /** @return where this group counts its sinks' failures */
    public FailureTally failures() {
        return failures;
    }

    /**
     * @param sink a sink to add (null is refused)
     */
    public void add(DebugSink sink) {
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
        sinks.add(sink);
    }

    /** @return the sinks, in the order they receive events */
    public List<DebugSink> sinks() {
        return List.copyOf(sinks);
    }

    /**
     * @param snapshot delivered to every sink
     */
    public void gradients(GradientSnapshot snapshot) {
        each(s -> s.onGradients(snapshot), "onGradients");
    }

    /**
     * @param snapshot delivered to every sink
     */
    public void activations(ActivationSnapshot snapshot) {
        each(s -> s.onActivations(snapshot), "onActivations");
    }

    /**
     * @param snapshot delivered to every sink
     */
    public void layerProbes(LayerProbeSnapshot snapshot) {
        each(s -> s.onLayerProbes(snapshot), "onLayerProbes");
    }

    /**
     * @param event delivered to every sink
     */
    public void nonFinite(NonFiniteEvent event) {
        each(s -> s.onNonFinite(event), "onNonFinite");
    }

    /**
     * @param finding delivered to every sink
     */
    public void finding(Finding finding) {
        each(s -> s.onFinding(finding), "onFinding");
    }

    /**
     * @param snapshot delivered to every sink
     */
    public void score(ScoreSnapshot snapshot) {
        each(s -> s.onScore(snapshot), "onScore");
    }

    /**
     * @param item delivered to every sink
     */
    public void checklist(io.dl4jdebug.diagnose.ChecklistItem item) {
        each(s -> s.onChecklist(item), "onChecklist");
    }

    /**
     * @param snapshot delivered to every sink
     */
    public void epoch(EpochSnapshot snapshot) {
        each(s -> s.onEpoch(snapshot), "onEpoch");
    }

    /**
     * @param status delivered to every sink with its epoch
     * @param epoch  the epoch judged
     */
    public void fitting(io.dl4jdebug.diagnose.FittingStatus status, io.dl4jdebug.measure.EpochSnapshot epoch) {
        each(s -> s.onFitting(status, epoch), "onFitting");
    }

    /**
     * @param diagnosis delivered to every sink
     */
    public void diagnosis(io.dl4jdebug.diagnose.Diagnosis diagnosis) {
        each(s -> s.onDiagnosis(diagnosis), "onDiagnosis");
    }

    private void each(Consumer<DebugSink> call, String what) {
        for (DebugSink sink : sinks) {
            try {
                call.accept(sink);
            } catch (RuntimeException | LinkageError e) {
                if (failures.record("sink '" + safeName(sink) + "'", what, e)) {
                    LOG.warn("dl4j-debug sink '{}' failed in {} and is skipped for this event; training goes on. "
                            + "Later failures of this sink are logged at DEBUG and counted at close.", safeName(sink),
                            what, e);
                } else {
                    LOG.debug("dl4j-debug sink '{}' failed again in {}", safeName(sink), what, e);
                }
            }
        }
    }

    private static String safeName(DebugSink sink) {
        try {
            return sink.name();
        } catch (RuntimeException e) {
            return sink.getClass().getName();
        }
    }
}
