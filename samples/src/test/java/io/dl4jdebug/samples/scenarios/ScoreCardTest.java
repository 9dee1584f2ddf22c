package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The score card on hand-made readings: plain numbers, no training. */
class ScoreCardTest {

    private static LoudEntry warn(String symptom, String... layers) {
        return new LoudEntry(symptom, List.of(layers), "WARN");
    }

    private static ScenarioReport report(String name, RootCause label, LoudEntry... entries) {
        return new ScenarioReport(name, ModelKind.MULTI_LAYER_NETWORK, label, List.of(entries), 1.0);
    }

    private static final List<ScenarioReport> REPORTS = List.of(
            // rank 1
            report("first", RootCause.named("DEAD_UNITS"), warn("DEAD_UNITS", "dense1"), warn("VANISHING_GRADIENT")),
            // the label names dense2: the line on dense1 does not count, the one on dense2 (3rd) does
            report("layer", RootCause.named("DEAD_UNITS", "dense2"), warn("NON_FINITE"),
                    warn("DEAD_UNITS", "dense1"), warn("DEAD_UNITS", "dense2", "dense3")),
            // rank 4: not in the top 3
            report("fourth", RootCause.named("OVERFITTING"), warn("A"), warn("B"), warn("C"), warn("OVERFITTING")),
            // never named, contradictory (too high and too low)
            report("missing", RootCause.named("DATA_LEAKAGE"), warn("LEARNING_RATE_TOO_HIGH", "dense1"),
                    warn("LEARNING_RATE_TOO_LOW", "dense2")),
            report("silent", RootCause.healthy()),
            // a false alarm, contradictory (overfitting while the loss does not decrease)
            report("alarm", RootCause.healthy(), warn("OVERFITTING"), warn("LOSS_NOT_DECREASING")));

    @Test
    void countsRootCauseFirstAndInTopThreeOverBugScenariosOnly() {
        ScoreCard card = ScoreCard.of(REPORTS);
        assertThat(card.bugs()).isEqualTo(4);
        assertThat(card.rootCauseFirst()).isEqualTo(1);
        assertThat(card.rootCauseTop3()).isEqualTo(2);
        assertThat(REPORTS).extracting(r -> r.rank().orElse(-1)).containsExactly(1, 3, 4, -1, -1, -1);
    }

    @Test
    void medianLoudLinesIsOverBugReports() {
        // bug reports hold 2, 3, 4 and 2 lines: median (2 + 3) / 2
        assertThat(ScoreCard.of(REPORTS).medianLoudLines()).isEqualTo(2.5);
        assertThat(ScoreCard.of(REPORTS.subList(0, 3)).medianLoudLines()).isEqualTo(3.0);
        assertThat(ScoreCard.of(List.of(REPORTS.get(4))).medianLoudLines()).isZero();
    }

    @Test
    void countsFalseAlarmsAndContradictoryReports() {
        ScoreCard card = ScoreCard.of(REPORTS);
        assertThat(card.healthy()).isEqualTo(2);
        assertThat(card.falseAlarms()).isEqualTo(1);
        assertThat(card.contradictory()).isEqualTo(2);
    }

    @Test
    void explodingAndVanishingContradictOnlyOnTheSameLayer() {
        assertThat(ScoreCard.contradicts(List.of(warn("EXPLODING_GRADIENT", "dense1"),
                warn("VANISHING_GRADIENT", "dense2")))).isFalse();
        assertThat(ScoreCard.contradicts(List.of(warn("VANISHING_GRADIENT", "dense3", "dense1"),
                warn("EXPLODING_GRADIENT", "dense1")))).isTrue();
        assertThat(ScoreCard.contradicts(List.of(warn("UNDERFITTING"), warn("LOSS_DIVERGING")))).isTrue();
        assertThat(ScoreCard.contradicts(List.of(warn("UNDERFITTING"), warn("LEARNING_RATE_TOO_LOW")))).isFalse();
    }

    @Test
    void printsOneRowPerScenarioAndTheMetrics() {
        ScoreCard card = ScoreCard.of(REPORTS);
        assertThat(card.table().lines()).hasSize(REPORTS.size() + 1);
        assertThat(card.table()).contains("DEAD_UNITS@dense2").contains("NON_FINITE");
        assertThat(card.summary()).contains("root cause first:            1/4")
                .contains("root cause in top 3:         2/4").contains("median loud lines (bugs):    2.5")
                .contains("contradictory reports:       2/6").contains("false alarms (healthy):      1/2");
    }

    @Test
    void refusesInconsistentCountsAndLabels() {
        assertThatThrownBy(() -> new ScoreCard(List.of(), 1, 2, 1, 0, 0, 0, 0))
                .hasMessageContaining("inconsistent counts");
        assertThatThrownBy(() -> new RootCause(null, List.of("dense1"))).hasMessageContaining("healthy");
        assertThat(RootCause.named("DEAD_UNITS", "dense1").matches(warn("DEAD_UNITS"))).isFalse();
        assertThat(RootCause.healthy().matches(warn("DEAD_UNITS"))).isFalse();
    }
}
