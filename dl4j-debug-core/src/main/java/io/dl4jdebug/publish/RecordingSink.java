package io.dl4jdebug.publish;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.LayerProbeSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ScoreSnapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Keeps findings, the first non-finite event and the newest snapshots in memory, for inspection after (or during)
 * training. Snapshots are kept in bounded queues (oldest dropped), so memory does not grow with the length of a
 * run: by default the newest {@value #DEFAULT_CAPACITY} score and epoch snapshots (a few dozen bytes each) and the
 * newest {@value #DEFAULT_LAYER_SNAPSHOT_CAPACITY} gradient, activation and layer-wrapper snapshots, which hold one
 * record per parameter or layer (a few KiB each on a ResNet: 1000 of them would be several MiB of heap). Findings
 * are bounded by the number of distinct symptoms and locations. Thread safe.
 */
public final class RecordingSink implements DebugSink {

    /** Score and epoch snapshots kept by default. */
    public static final int DEFAULT_CAPACITY = 1000;

    /**
     * Gradient, activation and layer-wrapper snapshots kept by default: with the default every-10 schedules, the
     * last 1000 iterations.
     */
    public static final int DEFAULT_LAYER_SNAPSHOT_CAPACITY = 100;

    private final int capacity;
    private final int layerSnapshotCapacity;
    private final Deque<GradientSnapshot> gradients = new ArrayDeque<>();
    private final Deque<ActivationSnapshot> activations = new ArrayDeque<>();
    private final Deque<ScoreSnapshot> scores = new ArrayDeque<>();
    private final Deque<EpochSnapshot> epochs = new ArrayDeque<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<NonFiniteEvent> nonFinite = new ArrayList<>();
    private final Deque<LayerProbeSnapshot> layerProbes = new ArrayDeque<>();

    /**
     * Keeps {@link #DEFAULT_CAPACITY} score and epoch snapshots and {@link #DEFAULT_LAYER_SNAPSHOT_CAPACITY}
     * gradient, activation and layer-wrapper snapshots.
     */
    public RecordingSink() {
        this(DEFAULT_CAPACITY, DEFAULT_LAYER_SNAPSHOT_CAPACITY);
    }

    /**
     * @param capacity snapshots of each kind to keep, at least 1
     */
    public RecordingSink(int capacity) {
        this(capacity, capacity);
    }

    /**
     * @param capacity              score and epoch snapshots to keep, at least 1
     * @param layerSnapshotCapacity gradient, activation and layer-wrapper snapshots to keep, at least 1
     */
    public RecordingSink(int capacity, int layerSnapshotCapacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1 but was " + capacity);
        }
        if (layerSnapshotCapacity < 1) {
            throw new IllegalArgumentException("layerSnapshotCapacity must be >= 1 but was " + layerSnapshotCapacity);
        }
        this.capacity = capacity;
        this.layerSnapshotCapacity = layerSnapshotCapacity;
    }

    @Override
    public synchronized void onGradients(GradientSnapshot snapshot) {
        add(gradients, snapshot, layerSnapshotCapacity);
    }

    @Override
    public synchronized void onActivations(ActivationSnapshot snapshot) {
        add(activations, snapshot, layerSnapshotCapacity);
    }

    @Override
    public synchronized void onScore(ScoreSnapshot snapshot) {
        add(scores, snapshot, capacity);
    }

    @Override
    public synchronized void onEpoch(EpochSnapshot snapshot) {
        add(epochs, snapshot, capacity);
    }

    @Override
    public synchronized void onNonFinite(NonFiniteEvent event) {
        nonFinite.add(event);
    }

    @Override
    public synchronized void onFinding(Finding finding) {
        findings.add(finding);
    }

    @Override
    public synchronized void onLayerProbes(LayerProbeSnapshot snapshot) {
        add(layerProbes, snapshot, layerSnapshotCapacity);
    }

    private static <T> void add(Deque<T> queue, T item, int capacity) {
        if (queue.size() == capacity) {
            queue.removeFirst();
        }
        queue.addLast(item);
    }

    /** @return the findings so far, in the order they were made */
    public synchronized List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** @return the kept layer-wrapper snapshots, oldest first */
    public synchronized List<LayerProbeSnapshot> layerProbeSnapshots() {
        return new ArrayList<>(layerProbes);
    }

    /** @return the non-finite events so far (at most one per detector run) */
    public synchronized List<NonFiniteEvent> nonFiniteEvents() {
        return List.copyOf(nonFinite);
    }

    /** @return the first non-finite event, if any */
    public synchronized Optional<NonFiniteEvent> firstNonFinite() {
        return nonFinite.isEmpty() ? Optional.empty() : Optional.of(nonFinite.get(0));
    }

    /** @return the kept gradient snapshots, oldest first */
    public synchronized List<GradientSnapshot> gradientSnapshots() {
        return new ArrayList<>(gradients);
    }

    /** @return the kept activation snapshots, oldest first */
    public synchronized List<ActivationSnapshot> activationSnapshots() {
        return new ArrayList<>(activations);
    }

    /** @return the kept score snapshots, oldest first */
    public synchronized List<ScoreSnapshot> scoreSnapshots() {
        return new ArrayList<>(scores);
    }

    /** @return the kept epoch snapshots, oldest first */
    public synchronized List<EpochSnapshot> epochSnapshots() {
        return new ArrayList<>(epochs);
    }
}
