package io.dl4jdebug.ui;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.DebugSuite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Debug module on a real UI server: a broken and a healthy run train with StatsListener and the sink on the same
 * in-memory storage; the JSON endpoints show what the suite found, the healthy twin shows no finding, and DL4J's own
 * pages keep working on the same session.
 */
class DebugModuleTest {

    private static UiServer ui;
    private static InMemoryStatsStorage storage;
    private static StatsListener brokenStats;
    private static StatsStorageSink brokenSink;
    private static DebugSuite brokenSuite;
    private static StatsStorageSink healthySink;
    private static DebugSuite healthySuite;

    @BeforeAll
    static void train() {
        ui = UiServer.start();
        storage = new InMemoryStatsStorage();
        ui.server().attach(storage);

        MultiLayerNetwork broken = UiRuns.broken();
        brokenStats = new StatsListener(storage, 5);
        broken.setListeners(brokenStats);
        brokenSink = StatsStorageSink.builder(storage).sameIdsAs(brokenStats).build();
        brokenSuite = UiRuns.train(broken, brokenSink, 2, UiRuns.CORRUPT_BATCH);
        brokenSuite.close(); // publishes the final diagnosis

        healthySink = StatsStorageSink.builder(storage).sessionId("healthy-run").build();
        healthySuite = UiRuns.train(UiRuns.healthy(), healthySink, 2);
        healthySuite.close();
    }

    @AfterAll
    static void stop() throws Exception {
        ui.close();
    }

    @Test
    void sessionsListBothRunsWithTheStatsListenerIds() {
        JsonObject body = ui.json("/debug/api/sessions");
        assertThat(body.getBoolean("multiSession")).isFalse();
        JsonArray sessions = body.getJsonArray("sessions");
        List<String> ids = new ArrayList<>();
        sessions.forEach(s -> ids.add(((JsonObject) s).getString("id")));
        assertThat(ids).containsExactly("healthy-run", brokenStats.getSessionID()); // newest first
        JsonObject broken = sessions.getJsonObject(1);
        assertThat(UiServer.strings(broken.getJsonArray("workers"))).containsExactly(brokenStats.getWorkerID());
        assertThat(broken.getBoolean("hasTrainingStats")).isTrue();
        assertThat(sessions.getJsonObject(0).getBoolean("hasTrainingStats")).isFalse();
    }

    @Test
    void brokenRunShowsItsFindingsMostSevereFirst() {
        JsonObject view = ui.session(brokenStats.getSessionID());
        assertThat(view.getString("workerId")).isEqualTo(brokenStats.getWorkerID());
        JsonArray findings = view.getJsonArray("findings");
        List<Finding> expected = brokenSuite.findings();
        assertThat(findings.size()).isEqualTo((int) expected.stream().map(Finding::identity).distinct().count());
        JsonObject first = findings.getJsonObject(0);
        assertThat(first.getString("severity")).isEqualTo("ERROR");
        assertThat(first.getString("symptom")).isEqualTo("NON_FINITE");
        assertThat(first.getString("layer")).isEqualTo(UiRuns.XSS_LAYER);
        List<String> severities = new ArrayList<>();
        findings.forEach(f -> severities.add(((JsonObject) f).getString("severity")));
        assertThat(severities).isSortedAccordingTo((a, b) -> Severity.valueOf(b).compareTo(Severity.valueOf(a)));
        assertThat(findings.stream().map(f -> ((JsonObject) f).getString("symptom")))
                .contains(Symptom.VANISHING_GRADIENT.name());
        JsonObject anyWithFix = findings.stream().map(f -> (JsonObject) f)
                .filter(f -> !f.getJsonArray("suggestions").isEmpty()).findFirst().orElseThrow();
        assertThat(anyWithFix.getJsonObject("evidence").isEmpty()).isFalse();

        JsonArray nonFinite = view.getJsonArray("nonFinite");
        assertThat(nonFinite.size()).isEqualTo(1);
        JsonObject event = nonFinite.getJsonObject(0);
        assertThat(event.getString("layer")).isEqualTo(UiRuns.XSS_LAYER);
        assertThat(event.getString("kind")).isEqualTo("ACTIVATION");
        assertThat(event.getLong("iteration")).isEqualTo(brokenSuite.firstNonFinite().orElseThrow().iteration());
    }

    @Test
    void brokenRunShowsTheDiagnosisIncidentsInTheDiagnosisOrder() {
        Diagnosis diagnosis = brokenSuite.diagnosis();
        assertThat(diagnosis.incidents()).isNotEmpty();
        JsonObject view = ui.session(brokenStats.getSessionID());
        JsonArray incidents = view.getJsonArray("incidents");
        assertThat(incidents).hasSize(diagnosis.incidents().size());
        for (int k = 0; k < incidents.size(); k++) {
            Incident expected = diagnosis.incidents().get(k);
            JsonObject shown = incidents.getJsonObject(k);
            assertThat(shown.getInteger("id")).isEqualTo(expected.id()).isEqualTo(k + 1);
            assertThat(shown.getString("symptom")).isEqualTo(expected.symptom().name());
            assertThat(shown.getString("severity")).isEqualTo(expected.severity().name());
            assertThat(shown.getString("level")).isEqualTo(expected.level().name());
            assertThat(shown.getBoolean("loud")).isEqualTo(expected.loud());
            assertThat(UiServer.strings(shown.getJsonArray("layers"))).isEqualTo(expected.root().layers());
            assertThat(shown.getLong("firstIteration")).isEqualTo(expected.root().firstIteration());
            assertThat(shown.getString("message")).isEqualTo(expected.root().worst().message());
            assertThat(UiServer.strings(shown.getJsonArray("fix"))).isEqualTo(expected.fix());
            assertThat(shown.getValue("verification")).isNull(); // not tried on a copy in this run
            JsonArray explains = shown.getJsonArray("explains");
            assertThat(explains.stream().map(e -> ((JsonObject) e).getString("summary")))
                    .containsExactlyElementsOf(expected.consequences().stream().map(SymptomGroup::summary).toList());
        }
        // The root cause comes first: the NaN in the layer named like an HTML injection, not one of its effects.
        JsonObject first = incidents.getJsonObject(0);
        assertThat(first.getString("severity")).isEqualTo("ERROR");
        assertThat(first.getString("symptom")).isEqualTo(diagnosis.first().orElseThrow().symptom().name());
        assertThat(view.getJsonArray("dismissed")).hasSize(diagnosis.dismissed().size());
        for (int k = 0; k < diagnosis.dismissed().size(); k++) {
            assertThat(view.getJsonArray("dismissed").getJsonObject(k).getString("reason"))
                    .isEqualTo(diagnosis.dismissed().get(k).reason());
        }
        // The raw findings stay available.
        assertThat(view.getJsonArray("findings")).isNotEmpty();
        JsonObject only = ui.json("/debug/api/sessions/" + UiServer.enc(brokenStats.getSessionID()) + "/incidents");
        assertThat(only.getJsonArray("incidents")).isEqualTo(incidents);
    }

    @Test
    void gradientsAreAggregatedPerLayerInTopologicalOrder() {
        JsonObject g = ui.session("healthy-run").getJsonObject("gradients");
        var snapshots = healthySuite.recording().gradientSnapshots();
        assertThat(g.getInteger("snapshots")).isEqualTo(snapshots.size());
        assertThat(UiServer.strings(g.getJsonArray("layers"))).containsExactly("h0", "h1", "out");
        assertThat(g.getJsonArray("iterations").size()).isEqualTo(snapshots.size());
        // Layer norm = sqrt(sum of squared parameter norms), against the recorded snapshot.
        var last = snapshots.get(snapshots.size() - 1);
        double w = last.parameters().get(0).gradientNorm();
        double b = last.parameters().get(1).gradientNorm();
        JsonArray h0Row = g.getJsonArray("gradientNorm").getJsonArray(0);
        assertThat(h0Row.getDouble(h0Row.size() - 1)).isCloseTo(Math.sqrt(w * w + b * b),
                org.assertj.core.data.Offset.offset(1e-9));
        JsonArray ratioRow = g.getJsonArray("updateRatio").getJsonArray(0);
        double ratio = ratioRow.getDouble(ratioRow.size() - 1);
        assertThat(ratio).isBetween(1e-5, 1e-1);

        // The broken run's NaN shows as the string "NaN", not as a missing value.
        JsonObject bg = ui.session(brokenStats.getSessionID()).getJsonObject("gradients");
        assertThat(bg.getJsonArray("gradientNorm").getJsonArray(1).stream()).contains("NaN");
    }

    @Test
    void healthyTwinHasNoFindingButAllCharts() {
        JsonObject view = ui.session("healthy-run");
        assertThat(view.getJsonArray("findings")).isEmpty();
        assertThat(view.getJsonArray("incidents")).isEmpty(); // a diagnosis was stored: it has no incident
        assertThat(view.getJsonArray("dismissed")).isEmpty();
        assertThat(view.getJsonArray("nonFinite")).isEmpty();
        JsonArray layers = view.getJsonObject("activations").getJsonArray("layers");
        assertThat(layers.stream().map(l -> ((JsonObject) l).getString("layer"))).containsExactly("h0", "h1");
        assertThat(layers.getJsonObject(0).getDouble("deadFraction")).isLessThan(0.25);
        assertThat(layers.getJsonObject(1).getBoolean("saturationApplies")).isTrue();
        JsonObject loss = view.getJsonObject("loss");
        JsonArray train = loss.getJsonArray("train");
        assertThat(train).hasSize(4); // iterations 0, 10, 20, 30 of 32 (StatsStorageSink.TRAIN_LOSS_PERIOD)
        assertThat(loss.getJsonArray("validation")).hasSize(2);
        assertThat(train.getJsonObject(3).getDouble("value")).isLessThan(train.getJsonObject(0).getDouble("value"));
        JsonObject latest = view.getJsonObject("fitting").getJsonObject("latest");
        assertThat(latest.getInteger("epoch")).isEqualTo(1);
        assertThat(latest.getString("verdict")).isNotBlank();
        JsonArray checklist = view.getJsonArray("checklist");
        assertThat(checklist.stream().map(c -> ((JsonObject) c).getString("status")))
                .containsExactly("PASS", "WARN", "SKIPPED");
    }

    @Test
    void sectionsAreServedOnTheirOwn() {
        JsonObject only = ui.json("/debug/api/sessions/healthy-run/checklist");
        assertThat(only.fieldNames()).containsExactly("checklist");
        assertThat(only.getJsonArray("checklist")).hasSize(3);
    }

    @Test
    void newRecordsAppearOnTheNextRequest() {
        String id = "live-" + System.nanoTime();
        InMemoryStatsStorage own = new InMemoryStatsStorage();
        ui.server().attach(own);
        StatsStorageSink sink = StatsStorageSink.builder(own).sessionId(id).build();
        sink.onFinding(Finding.builder(Symptom.LOSS_NOT_DECREASING, Severity.WARN, "loss flat for 50 iterations")
                .firstIteration(50).build());
        assertThat(ui.session(id).getJsonArray("findings")).hasSize(1);
        assertThat(ui.session(id).getValue("incidents")).isNull(); // no diagnosis stored: the page shows findings
        sink.onFinding(Finding.builder(Symptom.EXPLODING_GRADIENT, Severity.ERROR, "gradient of h0/W exploded")
                .layer("h0").parameter("W").firstIteration(60).evidence("norm", 1e4).build());
        JsonArray findings = ui.session(id).getJsonArray("findings");
        assertThat(findings).hasSize(2);
        assertThat(findings.getJsonObject(0).getString("symptom")).isEqualTo("EXPLODING_GRADIENT");
        ui.server().detach(own);
        assertThat(ui.get("/debug/api/sessions/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownSessionsWorkersAndSectionsAre404WithoutStackTrace() {
        HttpResponse<String> r = ui.get("/debug/api/sessions/no-such-session");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(new JsonObject(r.body()).getString("error")).contains("unknown session ID 'no-such-session'");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");

        HttpResponse<String> w = ui.get("/debug/api/sessions/healthy-run?worker=nobody");
        assertThat(w.statusCode()).isEqualTo(404);
        assertThat(w.body()).contains("unknown worker ID 'nobody'");

        HttpResponse<String> s = ui.get("/debug/api/sessions/healthy-run/bogus");
        assertThat(s.statusCode()).isEqualTo(404);
        assertThat(s.body()).contains("unknown section 'bogus'").contains("findings");

        HttpResponse<String> x = ui.get("/debug/api/sessions/" + UiServer.enc("<script>alert(1)</script>"));
        assertThat(x.statusCode()).isEqualTo(404);
        assertThat(x.headers().firstValue("content-type").orElse("")).startsWith("application/json");
    }

    @Test
    void pageAndBundledChartLibraryAreServedAndDl4jPagesStillWork() {
        HttpResponse<String> page = ui.get("/debug");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("id=\"findingsTable\"").contains("/assets/dl4jdebug/debug.js")
                .doesNotContain("http://").doesNotContain("https://");
        HttpResponse<String> chart = ui.get("/assets/dl4jdebug/vendor/chart-4.5.1.umd.min.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart.js v4.5.1");
        assertThat(ui.get("/assets/dl4jdebug/vendor/chartjs-chart-matrix-3.1.0.min.js").statusCode()).isEqualTo(200);
        assertThat(ui.get("/assets/dl4jdebug/debug.css").statusCode()).isEqualTo(200);

        assertThat(ui.get("/train/overview").statusCode()).isEqualTo(200);
        assertThat(ui.awaitBody("/train/sessions/current", body -> !body.isEmpty(), 10))
                .isEqualTo(brokenStats.getSessionID());
        HttpResponse<String> overview = ui.get("/train/overview/data");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(overview.body()).getJsonArray("scores")).isNotEmpty();
    }
}
