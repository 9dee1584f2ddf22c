package io.dl4jdebug.listener;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FittingStatus;
import io.dl4jdebug.diagnose.Rule;
import io.dl4jdebug.diagnose.RuleEngine;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.publish.SinkGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The adapter between the monitors and the {@link RuleEngine}: it receives every snapshot like a sink, hands it to
 * the engine, and publishes the engine's findings, and the fitting verdict of each epoch, to the downstream sinks. It
 * computes nothing itself.
 *
 * <p>Under DL4J's ParallelWrapper the monitors are called from every worker thread and their snapshots carry the
 * worker: each worker's snapshots go to that worker's own engine (made by the engine factory, so that one worker's
 * history never mixes with another's), and its findings carry the worker. Thread safe: each engine judges one
 * snapshot at a time.
 */
public final class RuleSink implements DebugSink {

    private final RuleEngine engine;
    private final Supplier<RuleEngine> workerEngines;
    private final Map<String, RuleEngine> workers = new ConcurrentHashMap<>();
    private final SinkGroup downstream;

    /**
     * One engine for everything: snapshots of ParallelWrapper workers are judged by it too, one at a time, their
     * histories mixed.
     *
     * @param engine     the rules
     * @param downstream where findings go (must not contain this sink)
     */
    public RuleSink(RuleEngine engine, List<? extends DebugSink> downstream) {
        this.engine = Objects.requireNonNull(engine, "engine must not be null");
        this.workerEngines = null;
        this.downstream = new SinkGroup(downstream);
    }

    /**
     * One engine outside ParallelWrapper and one per worker, each made by the factory.
     *
     * @param engines    makes a fresh engine with the same rules and thresholds at each call
     * @param downstream where findings go (must not contain this sink)
     */
    public RuleSink(Supplier<RuleEngine> engines, List<? extends DebugSink> downstream) {
        this.workerEngines = Objects.requireNonNull(engines, "engines must not be null");
        this.engine = Objects.requireNonNull(engines.get(), "the engine factory returned null");
        this.downstream = new SinkGroup(downstream);
    }

    /**
     * The sinks of a monitor used alone: one rule judging its snapshots (one engine per ParallelWrapper worker),
     * followed by the given sinks, which receive both the snapshots and the rule's findings.
     *
     * @param rule  makes the rule (called once per engine)
     * @param sinks where snapshots and findings go
     * @return the sink list to hand to the monitor
     */
    static List<DebugSink> judging(Supplier<Rule> rule, DebugSink... sinks) {
        List<DebugSink> all = new ArrayList<>();
        all.add(new RuleSink(() -> RuleEngine.of(RuleConfig.defaults(), List.of(rule.get())), List.of(sinks)));
        all.addAll(List.of(sinks));
        return all;
    }

    /**
     * @param tally where the failures of the downstream sinks are counted
     * @return this sink
     */
    public RuleSink reportFailuresTo(io.dl4jdebug.publish.FailureTally tally) {
        downstream.reportFailuresTo(tally);
        return this;
    }

    /** @return the engine of the training outside ParallelWrapper */
    public RuleEngine engine() {
        return engine;
    }

    /** @return the engines of the ParallelWrapper workers seen so far, by worker ID (sorted) */
    public Map<String, RuleEngine> workerEngines() {
        return new TreeMap<>(workers);
    }

    /** @return the fitting verdict of the latest epoch */
    public FittingStatus fittingStatus() {
        synchronized (engine) {
            return engine.fittingStatus();
        }
    }

    private RuleEngine engineFor(String worker) {
        if (worker.isEmpty() || workerEngines == null) {
            return engine;
        }
        return workers.computeIfAbsent(worker, w -> workerEngines.get());
    }

    private List<Finding> judge(String worker, Function<RuleEngine, List<Finding>> call) {
        RuleEngine e = engineFor(worker);
        List<Finding> findings;
        synchronized (e) {
            findings = call.apply(e);
        }
        if (worker.isEmpty()) {
            return findings;
        }
        return findings.stream().map(f -> f.withWorker(worker)).toList();
    }

    @Override
    public void onGradients(GradientSnapshot snapshot) {
        publish(judge(snapshot.worker(), e -> e.onGradients(snapshot)));
    }

    @Override
    public void onActivations(ActivationSnapshot snapshot) {
        publish(judge(snapshot.worker(), e -> e.onActivations(snapshot)));
    }

    @Override
    public void onScore(ScoreSnapshot snapshot) {
        publish(judge(snapshot.worker(), e -> e.onScore(snapshot)));
    }

    @Override
    public void onEpoch(EpochSnapshot snapshot) {
        publish(judge(snapshot.worker(), e -> e.onEpoch(snapshot)));
        RuleEngine e = engineFor(snapshot.worker());
        FittingStatus status;
        synchronized (e) {
            status = e.fittingStatus();
        }
        downstream.fitting(status, snapshot);
    }

    private void publish(List<Finding> findings) {
        for (Finding f : findings) {
            downstream.finding(f);
        }
    }
}
