package io.dl4jdebug.listener;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.diagnose.RuleEngine;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.publish.SinkGroup;

import java.util.List;
import java.util.Objects;

/**
 * The adapter between the monitors and the {@link RuleEngine}: it receives every snapshot like a sink, hands it to
 * the engine, and publishes the engine's findings, and the fitting verdict of each epoch, to the downstream sinks. It
 * computes nothing itself. Not thread safe (DL4J calls listeners, and so this sink, from the training thread).
 */
public final class RuleSink implements DebugSink {

    private final RuleEngine engine;
    private final SinkGroup downstream;

    /**
     * @param engine     the rules
     * @param downstream where findings go (must not contain this sink)
     */
    public RuleSink(RuleEngine engine, List<? extends DebugSink> downstream) {
        this.engine = Objects.requireNonNull(engine, "engine must not be null");
        this.downstream = new SinkGroup(downstream);
    }

    /**
     * @param tally where the failures of the downstream sinks are counted
     * @return this sink
     */
    public RuleSink reportFailuresTo(io.dl4jdebug.publish.FailureTally tally) {
        downstream.reportFailuresTo(tally);
        return this;
    }

    /** @return the engine */
    public RuleEngine engine() {
        return engine;
    }

    /** @return the fitting verdict of the latest epoch */
    public FittingStatus fittingStatus() {
        return engine.fittingStatus();
    }

    @Override
    public void onGradients(GradientSnapshot snapshot) {
        publish(engine.onGradients(snapshot));
    }

    @Override
    public void onActivations(ActivationSnapshot snapshot) {
        publish(engine.onActivations(snapshot));
    }

    @Override
    public void onScore(ScoreSnapshot snapshot) {
        publish(engine.onScore(snapshot));
    }

    @Override
    public void onEpoch(EpochSnapshot snapshot) {
        publish(engine.onEpoch(snapshot));
        downstream.fitting(engine.fittingStatus(), snapshot);
    }

    private void publish(List<Finding> findings) {
        for (Finding f : findings) {
            downstream.finding(f);
        }
    }
}
