package io.dl4jdebug.wrapper;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.listener.NonFiniteException;
import io.dl4jdebug.listener.NonFiniteLatch;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.BackwardStats;
import io.dl4jdebug.measure.LayerProbeSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.publish.FailureTally;
import io.dl4jdebug.publish.LoggingSink;
import io.dl4jdebug.publish.SinkGroup;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Where the layer wrappers of a network send what they measure: the sinks, the {@link LayerProbeConfig} (NaN policy
 * and schedules), the first non-finite event of the run and the stop flag of policy STOP.
 *
 * <p><b>Why a registry.</b> DL4J builds layer implementations from configuration ({@code instantiate}), also when
 * it clones a network or restores one from JSON or a {@code ModelSerializer} zip, so a wrapper cannot be handed its
 * sinks. Each {@link ProbedLayer} stores a session <em>id</em> instead; {@link Builder#build()} registers the session
 * under that id in a JVM-wide registry, and the wrappers look it up at every pass (one hash lookup). A network whose
 * wrappers name no open session trains unprobed (logged once per layer). {@link #close()} removes the session; the
 * registry holds no network. {@link #attachTo(Model)} points every wrapper of a network at this session (for
 * restored networks saved under another id) and adds a listener that publishes each pass's
 * {@link LayerProbeSnapshot} at the end of the backward pass.
 *
 * <pre>{@code
 * try (ProbeSession session = ProbeSession.builder().nanPolicy(NanPolicy.THROW).sink(mySink).build()) {
 *     MultiLayerNetwork wrapped = LayerWrappers.wrap(net, session.id());
 *     session.attachTo(wrapped);
 *     wrapped.fit(session.guard(train));
 *     session.firstNonFinite().ifPresent(e -> System.out.println(e.describe()));
 * }
 * }</pre>
 * Reporting is thread safe; collecting a pass's statistics assumes one training thread per session.
 */
public final class ProbeSession implements AutoCloseable {

    private static final ConcurrentMap<String, ProbeSession> OPEN = new ConcurrentHashMap<>();

    private final String id;
    private final LayerProbeConfig config;
    private final SinkGroup sinks;
    private final FailureTally failures = new FailureTally();
    private final TrainingListener publisher = new Publisher();
    private final NonFiniteLatch latch;

    private long passIteration = -1;
    private int passEpoch;
    private final List<ActivationStats> forward = new ArrayList<>();
    private final List<BackwardStats> backward = new ArrayList<>();
    private final Set<String> forwardLayers = new HashSet<>();
    private final Set<String> backwardLayers = new HashSet<>();

    private ProbeSession(Builder b) {
        this.id = b.id != null ? b.id : "probe-" + UUID.randomUUID();
        this.config = b.config;
        this.latch = new NonFiniteLatch(config.policy());
        List<DebugSink> all = new ArrayList<>();
        if (b.logging) {
            all.add(new LoggingSink());
        }
        all.addAll(b.sinks);
        this.sinks = new SinkGroup(all).reportFailuresTo(failures);
    }

    /** @return a builder with the defaults (policy LOG, check every iteration, statistics every 10, logging on) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param id a session id
     * @return the open session with that id, null when none is open
     */
    static ProbeSession lookup(String id) {
        return id == null ? null : OPEN.get(id);
    }

    /**
     * @param id a session id
     * @return the open session with that id, if any
     */
    public static Optional<ProbeSession> find(String id) {
        return Optional.ofNullable(lookup(id));
    }

    /** @return the id the wrappers store in their configuration */
    public String id() {
        return id;
    }

    /** @return the configuration */
    public LayerProbeConfig config() {
        return config;
    }

    /** @return true while the session is registered (built and not closed) */
    public boolean isOpen() {
        return OPEN.get(id) == this;
    }

    /**
     * Points every layer wrapper of a network at this session and adds the listener that publishes one
     * {@link LayerProbeSnapshot} per training pass (added once per network).
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph holding {@link ProbedLayer}s
     * @return this session
     * @throws io.dl4jdebug.model.UnsupportedModelException for other model types
     * @throws IllegalStateException when the session is closed
     */
    public ProbeSession attachTo(Model model) {
        if (!isOpen()) {
            throw new IllegalStateException("probe session '" + id + "' is closed; build a new one");
        }
        LayerWrappers.bind(model, id);
        if (!LayerWrappers.listeners(model).contains(publisher)) {
            ModelView.of(model).addListeners(publisher);
        }
        return this;
    }

    /** @return the first non-finite value a wrapper found, if any */
    public Optional<NonFiniteEvent> firstNonFinite() {
        return latch.first();
    }

    /** @return true when policy STOP asked training to end */
    public boolean stopRequested() {
        return latch.stopRequested();
    }

    /** Forgets the first event and a stop request, so the wrappers report again. */
    public void reset() {
        latch.reset();
    }

    /**
     * @param iterator a training iterator
     * @return it, wrapped so that policy STOP ends {@code fit} cleanly after the iteration that found the value
     */
    public DataSetIterator guard(DataSetIterator iterator) {
        return latch.guard(iterator);
    }

    /**
     * @param iterator a training iterator of a ComputationGraph
     * @return it, wrapped so that policy STOP ends {@code fit} cleanly after the iteration that found the value
     */
    public MultiDataSetIterator guard(MultiDataSetIterator iterator) {
        return latch.guard(iterator);
    }

    /** Publishes the statistics collected since the last snapshot, if any. */
    public synchronized void flush() {
        if (passIteration >= 0 && (!forward.isEmpty() || !backward.isEmpty())) {
            LayerProbeSnapshot snapshot = new LayerProbeSnapshot(passIteration, passEpoch, forward, backward);
            sinks.layerProbes(snapshot);
        }
        forward.clear();
        backward.clear();
        forwardLayers.clear();
        backwardLayers.clear();
        passIteration = -1;
    }

    /**
     * Publishes what is pending and removes the session from the registry (its wrappers then measure nothing); the
     * first time, logs one WARN line per wrapper or sink that failed, with the count.
     */
    @Override
    public void close() {
        flush();
        if (OPEN.remove(id, this)) {
            failures.logSummary();
        }
    }

    /** @return where the failures of this session's layer wrappers and sinks are counted (summarised at close) */
    public FailureTally failures() {
        return failures;
    }

    boolean armed() {
        return latch.armed();
    }

    boolean checkDue(long iteration) {
        return config.checkSchedule().isDue(iteration);
    }

    boolean statsDue(long iteration) {
        return config.statsSchedule().isDue(iteration);
    }

    synchronized void recordForward(long iteration, int epoch, ActivationStats stats) {
        // A new iteration, or a layer measured twice (a second pass in the same iteration): a new pass begins.
        if (iteration != passIteration || forwardLayers.contains(stats.layer()) || !backward.isEmpty()) {
            flush();
        }
        passIteration = iteration;
        passEpoch = epoch;
        forwardLayers.add(stats.layer());
        forward.add(stats);
    }

    synchronized void recordBackward(long iteration, int epoch, BackwardStats stats) {
        if (iteration != passIteration || backwardLayers.contains(stats.layer())) {
            flush();
        }
        passIteration = iteration;
        passEpoch = epoch;
        backwardLayers.add(stats.layer());
        backward.add(stats);
    }

    /**
     * Reports the first non-finite value: to the sinks (event and a NON_FINITE finding), then applies the policy.
     *
     * @param event where it appeared
     * @throws NonFiniteException under policy THROW
     */
    void report(NonFiniteEvent event) {
        latch.report(event, sinks);
    }

    /** Publishes the pass's snapshot once the backward pass is complete. */
    private final class Publisher extends BaseTrainingListener {
        @Override
        public void onBackwardPass(Model model) {
            flush();
        }
    }

    /** Builder of {@link ProbeSession}; {@link #build()} opens (registers) the session. Not thread safe. */
    public static final class Builder {
        private String id;
        private LayerProbeConfig config = LayerProbeConfig.defaults();
        private boolean logging = true;
        private final List<DebugSink> sinks = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param id the session id stored in the wrappers (default: "probe-" and a random UUID); use a fixed id to
         *           reconnect networks restored from disk
         * @return this builder
         */
        public Builder id(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must be a non-blank string but was '" + id + "'");
            }
            this.id = id;
            return this;
        }

        /**
         * @param config policy and schedules
         * @return this builder
         */
        public Builder config(LayerProbeConfig config) {
            this.config = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /**
         * @param policy what to do at the first non-finite value (keeps the configured schedules; default LOG,
         *               training goes on; STOP needs the training iterator wrapped by {@link ProbeSession#guard(DataSetIterator)})
         * @return this builder
         */
        public Builder nanPolicy(NanPolicy policy) {
            Objects.requireNonNull(policy, "nanPolicy must not be null; valid: THROW, STOP, LOG");
            this.config = new LayerProbeConfig(policy, config.checkSchedule(), config.statsSchedule());
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
         * @param sink a sink for snapshots, non-finite events and findings
         * @return this builder
         */
        public Builder sink(DebugSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink must not be null"));
            return this;
        }

        /**
         * Opens the session: registers it under its id.
         *
         * @return the open session
         * @throws IllegalStateException when a session with the same id is open
         */
        public ProbeSession build() {
            ProbeSession session = new ProbeSession(this);
            ProbeSession previous = OPEN.putIfAbsent(session.id, session);
            if (previous != null) {
                throw new IllegalStateException("a probe session with id '" + session.id + "' is already open; "
                        + "close it first or choose another id");
            }
            return session;
        }
    }
}
