package io.dl4jdebug.ui;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
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
