package io.dl4jdebug.ui;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.ui.storage.StoredDiagnosis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The page's JSON model on plain records, without ND4J. */
class DebugViewTest {

    @Test
    void findingsSortBySeverityThenLevelThenIterationAndDropRepeats() {
        List<Finding> in = List.of(
                Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, "low").layer("a").firstIteration(5)
                        .build(),
                Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "dead").layer("a").firstIteration(9).build(),
                Finding.builder(Symptom.DATA_UNNORMALIZED, Severity.WARN, "scale").firstIteration(0).build(),
                Finding.builder(Symptom.NON_FINITE, Severity.ERROR, "nan").layer("b").firstIteration(30).build(),
                Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "dead again").layer("a").firstIteration(20)
                        .build(),
                Finding.builder(Symptom.UNDERFITTING, Severity.INFO, "slow").firstIteration(1).build());
        JsonArray out = DebugView.findings(in);
        List<String> order = new ArrayList<>();
        out.forEach(f -> order.add(((JsonObject) f).getString("symptom")));
        assertThat(order).containsExactly("NON_FINITE", "DATA_UNNORMALIZED", "DEAD_UNITS", "LEARNING_RATE_TOO_LOW",
                "UNDERFITTING");
        assertThat(out.getJsonObject(2).getString("message")).isEqualTo("dead"); // the first report is kept
        assertThat(out.getJsonObject(1).getValue("layer")).isNull();
    }

    @Test
    void incidentsKeepTheDiagnosisOrderAndCarryFixesTrialsAndConsequences() {
        StoredDiagnosis.Trial trial = new StoredDiagnosis.Trial(true, "fix", 60, 2.3, Double.NaN, 2.3, 0.94,
                List.of("NON_FINITE"), List.of(), "ACCURACY", 128, List.of(0.1, 0.12, 0.11), 0.7, 0.02, 0.02, 0.02,
                "verified on a copy: ...");
        // A WARN incident ranked before an ERROR one (a verified cause ranks first): shown as stored, not re-sorted.
        StoredDiagnosis d = new StoredDiagnosis(List.of(
                new StoredDiagnosis.Incident(1, "LEARNING_RATE_TOO_HIGH", "WARN", "OPTIMIZATION", 3, List.of("h0"),
                        "ratio 0.5", List.of(".updater(new Sgd(0.005))"), List.of(new StoredDiagnosis.Group(
                        "GRADIENT_MISSING", "WARN", 12, List.of("h1", "h0"), 4,
                        "GRADIENT_MISSING on 4 parameters in 2 layers (h1, h0)")), trial),
                new StoredDiagnosis.Incident(2, "NON_FINITE", "ERROR", "NUMERICAL", 11, List.of(), "NaN", List.of(),
                        List.of(), null),
                new StoredDiagnosis.Incident(3, "UNDERFITTING", "INFO", "OPTIMIZATION", 30, List.of(), "slow",
                        List.of(), List.of(), null)),
                List.of(new StoredDiagnosis.Dismissed("DEAD_UNITS", "WARN", "NUMERICAL", "h1", null, 20, "dead",
                        "the layer has no ReLU")), 64);
        JsonArray incidents = DebugView.incidents(d);
        assertThat(incidents.stream().map(i -> ((JsonObject) i).getString("symptom")))
                .containsExactly("LEARNING_RATE_TOO_HIGH", "NON_FINITE", "UNDERFITTING");
        JsonObject first = incidents.getJsonObject(0);
        assertThat(first.getBoolean("loud")).isTrue();
        assertThat(first.getJsonArray("fix").getString(0)).isEqualTo(".updater(new Sgd(0.005))");
        JsonObject v = first.getJsonObject("verification");
        assertThat(v.getBoolean("confirmed")).isTrue();
        assertThat(v.getValue("baselineLossAfter")).isEqualTo("NaN");
        assertThat(v.getDouble("fixedLossAfter")).isEqualTo(0.94);
        assertThat(v.getString("metric")).isEqualTo("ACCURACY");
        assertThat(v.getDouble("fixedMetric")).isEqualTo(0.7);
        assertThat(v.getJsonArray("baselineMetric").getDouble(1)).isEqualTo(0.12);
        assertThat(v.getDouble("required")).isEqualTo(0.02);
        JsonObject explains = first.getJsonArray("explains").getJsonObject(0);
        assertThat(explains.getString("summary")).startsWith("GRADIENT_MISSING on 4 parameters");
        assertThat(UiServer.strings(explains.getJsonArray("layers"))).containsExactly("h1", "h0");
        assertThat(incidents.getJsonObject(1).getValue("verification")).isNull();
        assertThat(incidents.getJsonObject(2).getBoolean("loud")).isFalse();
        assertThat(DebugView.dismissed(d).getJsonObject(0).getString("reason")).isEqualTo("the layer has no ReLU");
        assertThat(DebugView.incidents(null)).isNull(); // no diagnosis stored: the page shows the findings
        assertThat(DebugView.dismissed(null)).isNull();
    }

    @Test
    void layerNormsAndRatiosCombineParametersAndMarkNonFiniteAsText() {
        GradientSnapshot s0 = new GradientSnapshot(0, 0, 8, List.of(
                new ParameterStats("L", "W", 3, 3, 0.03, 0, 0),
                new ParameterStats("L", "b", 4, 4, 0.04, 0, 0),
                new ParameterStats("M", "W", 0, Double.NaN, 0, 5, 0)));
        GradientSnapshot s1 = new GradientSnapshot(10, 0, 8, List.of(new ParameterStats("L", "W", 1, 1, 1e-3, 0, 0)));
        JsonObject g = DebugView.gradients(List.of(s0, s1));
        assertThat(UiServer.strings(g.getJsonArray("layers"))).containsExactly("L", "M");
        JsonArray l = g.getJsonArray("gradientNorm").getJsonArray(0);
        assertThat(l.getDouble(0)).isCloseTo(5.0, within(1e-12)); // sqrt(3^2 + 4^2)
        assertThat(g.getJsonArray("updateRatio").getJsonArray(0).getDouble(0)).isCloseTo(0.01, within(1e-12));
        assertThat(g.getJsonArray("gradientNorm").getJsonArray(1).getValue(0)).isEqualTo("NaN");
        assertThat(g.getJsonArray("gradientNorm").getJsonArray(1).getValue(1)).isNull(); // not measured at 10
        assertThat(g.getJsonArray("updateRatio").getJsonArray(1).getValue(0)).isNull(); // parameter norm 0
    }

    @Test
    void thinningKeepsFirstLastAndTheBound() {
        List<Integer> all = IntStream.range(0, 1001).boxed().toList();
        List<Integer> thin = DebugView.thin(all, 300);
        assertThat(thin).hasSize(300).startsWith(0).endsWith(1000).isSorted().doesNotHaveDuplicates();
        assertThat(DebugView.thin(all.subList(0, 10), 300)).hasSize(10);
        assertThat(DebugView.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(DebugView.number(2.5)).isEqualTo(2.5);
    }
}
