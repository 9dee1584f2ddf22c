package io.dl4jdebug.ui;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Diagnostician;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.measure.Saturation;
import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.ui.storage.DebugRecord;
import io.dl4jdebug.ui.storage.FittingVerdict;
import io.dl4jdebug.ui.storage.LossPoint;
import io.dl4jdebug.ui.storage.RecordKind;
import io.dl4jdebug.ui.storage.RunInfo;
import io.dl4jdebug.ui.storage.StoredDiagnosis;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.core.storage.StatsStorageListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.deeplearning4j.ui.model.storage.sqlite.J7FileStatsStorage;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Persistable encoding and the sink: every kind survives encode/decode (bytes, buffer, stream, Java serialization)
 * bit-exact, bad input fails with a message, the sink writes metadata and static info before updates and never
 * collides on a timestamp, and a real run survives FileStatsStorage (MapDB) and J7FileStatsStorage (SQLite).
 */
class StorageRoundTripTest {

    private static final String XSS = UiRuns.XSS_LAYER;

    static List<Object> samplePayloads() {
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("norm", Double.POSITIVE_INFINITY);
        evidence.put("threshold", 100.0);
        evidence.put("nan", Double.NaN);
        return List.of(
                new GradientSnapshot(12, 1, 32, List.of(
                        new ParameterStats(XSS, "W", 3.5, 1e-7, Double.NaN, 0, 3),
                        new ParameterStats("ünïcode-层", "b", 0.0, 2.0, 1e-3, 5, 0))),
                new ActivationSnapshot(10, 0, List.of(
                        new ActivationStats(XSS, "relu", 1024, 0.3, 0.7, 0.45, 32, 12, Saturation.notApplicable(), 0),
                        new ActivationStats("h1", "tanh", 512, Double.NaN, 0.1, 0.0, 16, 0,
                                Saturation.measured(0.9, 14), 7))),
                new NonFiniteEvent(11, 0, NonFiniteEvent.Kind.ACTIVATION, XSS, null, 512, 512),
                new NonFiniteEvent(11, 0, NonFiniteEvent.Kind.GRADIENT, "h0", "W", 1, 25088),
                Finding.builder(Symptom.EXPLODING_GRADIENT, Severity.ERROR, "gradient of " + XSS + " exploded")
                        .layer(XSS).parameter("W").firstIteration(40).evidence("norm", 1e5).suggest("a", "b").build(),
                new Finding(Symptom.LOSS_NOT_DECREASING, Severity.INFO, Level.OPTIMIZATION, "flat", null, null, 0,
                        evidence, List.of()),
                new LossPoint(15, 0, LossPoint.Split.VALIDATION, Double.NaN),
                new FittingVerdict(31, 1, "OVERFITTING", 0.1, 0.45, "gap 0.35 > 0.2"),
                new ChecklistItem("data.finite", Level.CODE, CheckStatus.FAIL, "3 NaN features", evidence),
                sampleDiagnosis());
    }

    /** A stored diagnosis with an injected layer name, a confirmed trial with a NaN loss, and a dismissal. */
    static StoredDiagnosis sampleDiagnosis() {
        StoredDiagnosis.Trial trial = new StoredDiagnosis.Trial(true, "layer " + XSS + ": .activation(Activation.RELU)",
                60, 2.3, Double.NaN, 2.3, 0.94, List.of("NON_FINITE", "GRADIENT_MISSING"), List.of(),
                "ACCURACY", 128, List.of(0.1, 0.12, Double.NaN), 0.7, 0.02, 0.02, 0.02, "verified on a copy: with the fix the loss goes 2.3 -> 0.94 in 60 iterations (unchanged copy: 2.3 "
                        + "-> NaN)");
        StoredDiagnosis.Incident root = new StoredDiagnosis.Incident(1, "NON_FINITE", "ERROR", "NUMERICAL", 11,
                List.of(XSS), "first non-finite value in " + XSS, List.of("fix " + XSS, "advice"),
                List.of(new StoredDiagnosis.Group("GRADIENT_MISSING", "WARN", 12, List.of("h0", XSS), 4,
                        "GRADIENT_MISSING on 4 parameters in 2 layers (h0, " + XSS + ")")), trial);
        StoredDiagnosis.Incident note = new StoredDiagnosis.Incident(2, "UNDERFITTING", "INFO", "OPTIMIZATION", 30,
                List.of(), "slow", List.of(), List.of(), null);
        return new StoredDiagnosis(List.of(root, note), List.of(new StoredDiagnosis.Dismissed("DEAD_UNITS", "WARN",
                "NUMERICAL", XSS, null, 20, "dead units", "the layer has no ReLU")), 64);
    }

    private static RecordKind kindOf(Object payload) {
        for (RecordKind k : RecordKind.values()) {
            if (k.payloadType().isInstance(payload)) {
                return k;
            }
        }
        throw new IllegalArgumentException(payload.toString());
    }

    @Test
    void everyKindRoundTripsThroughBytesBufferStreamAndJavaSerialization() throws Exception {
        long ts = 1_700_000_000_000L;
        for (Object payload : samplePayloads()) {
            DebugRecord r = DebugRecord.update("s-1", "w_1", ts++, kindOf(payload), payload);
            byte[] bytes = r.encode();
            assertThat(r.encodingLengthBytes()).isEqualTo(bytes.length);

            DebugRecord fromBytes = new DebugRecord();
            fromBytes.decode(bytes);
            assertThat(fromBytes).isEqualTo(r);
            assertThat(fromBytes.payload()).isEqualTo(payload);
            assertThat(fromBytes.getTypeID()).isEqualTo(kindOf(payload).typeId());

            ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 4);
            r.encode(buffer);
            buffer.putInt(0xCAFE).flip();
            DebugRecord fromBuffer = new DebugRecord();
            fromBuffer.decode(buffer);
            assertThat(fromBuffer).isEqualTo(r);
            assertThat(buffer.remaining()).isEqualTo(4); // read exactly its own bytes

            ByteArrayOutputStream two = new ByteArrayOutputStream();
            r.encode(two);
            r.encode(two);
            ByteArrayInputStream in = new ByteArrayInputStream(two.toByteArray());
            DebugRecord first = new DebugRecord();
            first.decode(in);
            DebugRecord second = new DebugRecord();
            second.decode(in);
            assertThat(first).isEqualTo(r);
            assertThat(second).isEqualTo(r);

            ByteArrayOutputStream java = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(java)) {
                out.writeObject(r);
            }
            try (ObjectInputStream oin = new ObjectInputStream(new ByteArrayInputStream(java.toByteArray()))) {
                assertThat(oin.readObject()).isEqualTo(r);
            }
        }
        DebugRecord info = DebugRecord.staticInfo("s-1", "w_1", ts, RecordKind.FINDING, new RunInfo(5, 1, "host"));
        DebugRecord decoded = new DebugRecord();
        decoded.decode(info.encode());
        assertThat(decoded.isStaticInfo()).isTrue();
        assertThat(decoded.payload(RunInfo.class)).isEqualTo(new RunInfo(5, 1, "host"));
    }

    @Test
    void badInputFailsWithAMessage() {
        DebugRecord r = DebugRecord.update("s", "w", 1, RecordKind.LOSS, new LossPoint(1, 0, LossPoint.Split.TRAIN, 1));
        byte[] bytes = r.encode();
        byte[] wrongMagic = bytes.clone();
        wrongMagic[0] = 0;
        assertThatThrownBy(() -> new DebugRecord().decode(wrongMagic)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("not a dl4j-debug record");
        byte[] future = bytes.clone();
        future[4] = 9;
        assertThatThrownBy(() -> new DebugRecord().decode(future)).hasMessageContaining("format version 9");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> new DebugRecord().decode(truncated)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot decode");
        assertThatThrownBy(() -> DebugRecord.update("s", "w", 1, RecordKind.GRADIENTS, "text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GRADIENTS")
                .hasMessageContaining("GradientSnapshot").hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> DebugRecord.update("", "w", 1, RecordKind.LOSS, new LossPoint(1, 0,
                LossPoint.Split.TRAIN, 1))).hasMessageContaining("sessionId");
        assertThatThrownBy(() -> StatsStorageSink.builder(new InMemoryStatsStorage()).sessionId(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionId");
        assertThatThrownBy(() -> StatsStorageSink.builder(null)).hasMessageContaining("router must not be null");
        assertThatThrownBy(() -> new FittingVerdict(1, 0, " ", 0, 0, "m")).hasMessageContaining("verdict");
        assertThatThrownBy(() -> new DebugRecord().encode()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty DebugRecord");
    }

    @Test
    void sinkWritesMetadataAndStaticInfoFirstAndNeverCollidesOnATimestamp() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        List<StatsStorageEvent> events = new ArrayList<>();
        storage.registerStatsStorageListener(new StatsStorageListener() {
            @Override
            public void notify(StatsStorageEvent event) {
                if (event.getEventType().name().startsWith("Post")) {
                    events.add(event);
                }
            }
        });
        StatsStorageSink sink = StatsStorageSink.builder(storage).sessionId("burst").workerId("w0").build();
        int n = 300;
        for (int i = 0; i < n; i++) {
            sink.onFinding(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "finding " + i).firstIteration(i)
                    .build());
        }
        sink.onLoss(new LossPoint(0, 0, LossPoint.Split.TRAIN, 2.3));

        assertThat(events.get(0).getEventType()).isEqualTo(StatsStorageListener.EventType.PostMetaData);
        assertThat(events.get(1).getEventType()).isEqualTo(StatsStorageListener.EventType.PostStaticInfo);
        assertThat(events.get(2).getEventType()).isEqualTo(StatsStorageListener.EventType.PostUpdate);
        assertThat(events).hasSize(3 + (n - 1) + 3);
        String findings = RecordKind.FINDING.typeId();
        assertThat(storage.getNumUpdateRecordsFor("burst", findings, "w0")).isEqualTo(n);
        List<Persistable> updates = storage.getAllUpdatesAfter("burst", findings, "w0", Long.MIN_VALUE);
        for (int i = 0; i < n; i++) {
            assertThat(((DebugRecord) updates.get(i)).payload(Finding.class).message()).isEqualTo("finding " + i);
        }
        assertThat(storage.getStorageMetaData("burst", findings).getUpdateTypeClass())
                .isEqualTo(DebugRecord.class.getName());
        assertThat(storage.listWorkerIDsForSessionAndType("burst", RecordKind.LOSS.typeId())).containsExactly("w0");
    }

    @Test
    void eachParallelWrapperWorkerIsStoredUnderItsOwnWorkerId() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = StatsStorageSink.builder(storage).sessionId("pw").workerId("main").build();
        for (String worker : List.of("worker-0", "worker-1")) {
            sink.onScore(ScoreSnapshot.of(10, 0, 2.3).withWorker(worker));
            sink.onFinding(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "dead on " + worker).build()
                    .withWorker(worker));
        }
        sink.onFinding(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "single-threaded").build());
        sink.onDiagnosis(Diagnosis.empty());

        String findings = RecordKind.FINDING.typeId();
        assertThat(storage.listWorkerIDsForSessionAndType("pw", findings))
                .containsExactlyInAnyOrder("main", "worker-0", "worker-1");
        assertThat(storage.listWorkerIDsForSessionAndType("pw", RecordKind.LOSS.typeId()))
                .containsExactlyInAnyOrder("worker-0", "worker-1");
        assertThat(storage.listWorkerIDsForSessionAndType("pw", RecordKind.DIAGNOSIS.typeId()))
                .containsExactly("main");
        List<Persistable> w1 = storage.getAllUpdatesAfter("pw", findings, "worker-1", Long.MIN_VALUE);
        assertThat(w1).singleElement().satisfies(p -> assertThat(((DebugRecord) p).payload(Finding.class).message())
                .isEqualTo("dead on worker-1"));
        assertThat(storage.getStaticInfo("pw", findings, "worker-1")).isInstanceOf(DebugRecord.class);
        SessionRecords records = new SessionRecords(storage, "pw", "worker-0");
        records.refresh();
        assertThat(((io.vertx.core.json.JsonArray) DebugView.section(records, "findings")).encode())
                .contains("dead on worker-0").doesNotContain("worker-1", "single-threaded");
    }

    @Test
    void sinkStoresAChangedDiagnosisOnlyAndTheNewestIsShown() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = StatsStorageSink.builder(storage).sessionId("diag").workerId("w0").build();
        String type = RecordKind.DIAGNOSIS.typeId();
        sink.onDiagnosis(Diagnosis.empty());
        sink.onDiagnosis(Diagnosis.empty()); // unchanged: not stored again
        assertThat(storage.getNumUpdateRecordsFor("diag", type, "w0")).isEqualTo(1);
        Diagnosis later = Diagnostician.diagnose(List.of(
                Finding.builder(Symptom.NON_FINITE, Severity.ERROR, "NaN in " + XSS).layer(XSS).firstIteration(11)
                        .build()), NetworkFacts.unknown(), LossSummary.none());
        sink.onDiagnosis(later);
        assertThat(storage.getNumUpdateRecordsFor("diag", type, "w0")).isEqualTo(2);
        assertThat(storage.getStaticInfo("diag", type, "w0")).isInstanceOf(DebugRecord.class);

        SessionRecords records = new SessionRecords(storage, "diag", "w0");
        records.refresh();
        io.vertx.core.json.JsonArray incidents = (io.vertx.core.json.JsonArray) DebugView.section(records,
                "incidents");
        assertThat(incidents).hasSize(1);
        assertThat(incidents.getJsonObject(0).getString("symptom")).isEqualTo("NON_FINITE");
        assertThat(incidents.getJsonObject(0).getJsonArray("layers").getString(0)).isEqualTo(XSS);
    }

    @Test
    void realRunSurvivesFileStatsStorageAndSqliteStorage() throws IOException {
        File mapdb = ChildJvm.tempFile("roundtrip");
        File sqlite = ChildJvm.tempFile("roundtrip-sqlite");
        FileStatsStorage file = new FileStatsStorage(mapdb);
        J7FileStatsStorage j7 = new J7FileStatsStorage(sqlite);
        StatsStorageSink toFile = StatsStorageSink.builder(file).sessionId("run-1").workerId("w").build();
        StatsStorageSink toJ7 = StatsStorageSink.builder(j7).sessionId("run-1").workerId("w").build();
        MultiLayerNetwork net = UiRuns.broken();
        DebugSuite suite = DebugSuite.builder().logging(false).sink(toFile).sink(toJ7).build().attachTo(net);
        net.fit(UiRuns.batches(UiRuns.CORRUPT_BATCH), 1);
        suite.close(); // publishes the final diagnosis
        file.close();
        j7.close();
        assertThat(suite.findings()).extracting(Finding::symptom).contains(Symptom.NON_FINITE);

        FileStatsStorage reopened = new FileStatsStorage(mapdb);
        try {
            assertSameAsRecording(reopened, suite);
        } finally {
            reopened.close();
        }
        J7FileStatsStorage reopenedJ7 = new J7FileStatsStorage(sqlite);
        try {
            assertSameAsRecording(reopenedJ7, suite);
        } finally {
            reopenedJ7.close();
        }
    }

    static void assertSameAsRecording(StatsStorage storage, DebugSuite suite) {
        assertThat(storage.listSessionIDs()).containsExactly("run-1");
        assertThat(payloads(storage, RecordKind.GRADIENTS)).isEqualTo(suite.recording().gradientSnapshots());
        assertThat(payloads(storage, RecordKind.ACTIVATIONS)).isEqualTo(suite.recording().activationSnapshots());
        assertThat(payloads(storage, RecordKind.FINDING)).isEqualTo(suite.findings());
        List<Object> diagnoses = payloads(storage, RecordKind.DIAGNOSIS);
        assertThat(diagnoses).isNotEmpty();
        StoredDiagnosis newest = (StoredDiagnosis) diagnoses.get(diagnoses.size() - 1);
        assertThat(newest).isEqualTo(StoredDiagnosis.of(suite.diagnosis()));
        assertThat(newest.incidents()).isNotEmpty();
        // Small: summaries, layers and fix lines, no evidence and no snapshot.
        assertThat(DebugRecord.update("run-1", "w", 1, RecordKind.DIAGNOSIS, newest).encodingLengthBytes())
                .isLessThan(4096);
        assertThat(newest.incidents().get(0).symptom()).isEqualTo(suite.diagnosis().first().orElseThrow().symptom()
                .name());
        assertThat(storage.getStaticInfo("run-1", RecordKind.GRADIENTS.typeId(), "w")).isInstanceOf(DebugRecord.class);
    }

    private static List<Object> payloads(StatsStorage storage, RecordKind kind) {
        List<Object> out = new ArrayList<>();
        for (Persistable p : storage.getAllUpdatesAfter("run-1", kind.typeId(), "w", Long.MIN_VALUE)) {
            out.add(((DebugRecord) p).payload());
        }
        return out;
    }
}
