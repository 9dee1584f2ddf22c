package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.model.ModelKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The score card and the set's card on hand-made readings: plain numbers, no training. */
class ScoreCardTest {

    private static LoudEntry warn(String symptom, String... layers) {
        return new LoudEntry(symptom, List.of(layers), "WARN");
    }

    private static LoudEntry fix(Setting setting, String symptom, String... layers) {
        return new LoudEntry(symptom, List.of(layers), "WARN", setting);
    }

    private static ScenarioReport report(String name, RootCause label, LoudEntry... entries) {
        return report(name, 1, label, entries);
    }

    private static ScenarioReport report(String name, long seed, RootCause label, LoudEntry... entries) {
        return new ScenarioReport(name, ModelKind.MULTI_LAYER_NETWORK, Family.MLN, label, seed, List.of(entries), 1.0);
    }

    private static RootCause before(String symptom, Setting setting, String... layers) {
        return RootCause.named(symptom, setting, BEFORE_TRAINING, layers);
    }

    private static RootCause training(String symptom, Setting setting, String... layers) {
        return RootCause.named(symptom, setting, ONLY_IN_TRAINING, layers);
    }

    private static final List<ScenarioReport> REPORTS = List.of(
            // rank 1, the fix changes the label's setting
            report("first", training("DEAD_UNITS", Setting.BIAS_INIT), fix(Setting.BIAS_INIT, "DEAD_UNITS", "dense1"),
                    warn("VANISHING_GRADIENT")),
            // the label names dense2: the line on dense1 does not count, the one on dense2 (3rd) does; the first
            // line's fix is another setting
            report("layer", training("DEAD_UNITS", Setting.BIAS_INIT, "dense2"), fix(Setting.LEARNING_RATE,
                    "NON_FINITE"), warn("DEAD_UNITS", "dense1"), warn("DEAD_UNITS", "dense2", "dense3")),
            // rank 4: not in the top 3; the first line's fix is right although the root cause is not named first
            report("fourth", before("OVERFITTING", Setting.REGULARIZATION), fix(Setting.REGULARIZATION, "A"),
                    warn("B"), warn("C"), warn("OVERFITTING")),
            // never named, contradictory (too high and too low)
            report("missing", before("DATA_LEAKAGE", Setting.DATA_SPLIT), warn("LEARNING_RATE_TOO_HIGH", "dense1"),
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
    void theFixCountsWhenTheFirstLinesFirstRemedyChangesOneOfTheLabelsSettings() {
        assertThat(REPORTS).extracting(ScenarioReport::fixChangesSetting)
                .containsExactly(true, false, true, false, false, false);
        assertThat(ScoreCard.of(REPORTS).fixChangesSetting()).isEqualTo(2);
        RootCause either = RootCause.of(io.dl4jdebug.diagnose.Symptom.UNDERFITTING, Set.of(Setting.BATCH_SIZE,
                Setting.TRAINING_LENGTH), ONLY_IN_TRAINING);
        assertThat(either.fixMatches(fix(Setting.TRAINING_LENGTH, "X"))).isTrue();
        assertThat(either.fixMatches(fix(Setting.LEARNING_RATE, "UNDERFITTING"))).isFalse();
        assertThat(either.fixMatches(warn("UNDERFITTING"))).as("a line without a fix").isFalse();
        assertThat(either.settingsText()).isEqualTo("BATCH_SIZE|TRAINING_LENGTH");
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
    void printsTheMetrics() {
        assertThat(ScoreCard.of(REPORTS).summary()).contains("root cause first:            1/4")
                .contains("root cause in top 3:         2/4").contains("fix changes the setting:     2/4")
                .contains("median loud lines (bugs):    2.5").contains("contradictory reports:       2/6")
                .contains("false alarms (healthy):      1/2");
    }

    @Test
    void theSetCardScoresEachSeedAndEachColumnApart() {
        RootCause lr = training("LEARNING_RATE_TOO_LOW", Setting.LEARNING_RATE_SCHEDULE);
        RootCause scale = before("DATA_UNNORMALIZED", Setting.INPUT_SCALE);
        SetCard card = new SetCard(List.of(
                report("schedule", 1, lr, fix(Setting.LEARNING_RATE_SCHEDULE, "LEARNING_RATE_TOO_LOW")),
                report("pixels", 1, scale, warn("EXPLODING_GRADIENT"), fix(Setting.INPUT_SCALE, "DATA_UNNORMALIZED")),
                report("healthy", 1, RootCause.healthy()),
                // seed 2: the schedule bug named first but fixed through the plain rate; the pixels named first
                // and fixed; a false alarm
                report("schedule", 2, lr, fix(Setting.LEARNING_RATE, "LEARNING_RATE_TOO_LOW")),
                report("pixels", 2, scale, fix(Setting.INPUT_SCALE, "DATA_UNNORMALIZED")),
                report("healthy", 2, RootCause.healthy(), warn("OVERFITTING"))));
        assertThat(card.seeds()).containsExactly(1L, 2L);

        assertThat(card.at(1, ONLY_IN_TRAINING).rootCauseFirst()).isEqualTo(1);
        assertThat(card.at(1, ONLY_IN_TRAINING).fixChangesSetting()).isEqualTo(1);
        assertThat(card.at(1, BEFORE_TRAINING).rootCauseFirst()).isZero();
        assertThat(card.at(1, BEFORE_TRAINING).rootCauseTop3()).isEqualTo(1);
        assertThat(card.at(1, BEFORE_TRAINING).fixChangesSetting()).isZero();
        assertThat(card.at(1).falseAlarms()).isZero();
        assertThat(card.at(1, BEFORE_TRAINING).healthy()).as("a column holds bugs only").isZero();

        assertThat(card.at(2, ONLY_IN_TRAINING).rootCauseFirst()).isEqualTo(1);
        assertThat(card.at(2, ONLY_IN_TRAINING).fixChangesSetting()).isZero();
        assertThat(card.at(2, BEFORE_TRAINING).fixChangesSetting()).isEqualTo(1);
        assertThat(card.at(2).falseAlarms()).isEqualTo(1);
        assertThat(card.at(2).bugs()).isEqualTo(2);

        assertThat(card.card()).contains("seed 1").contains("seed 2").contains("before training")
                .contains("only in training");
        assertThat(card.card().lines().filter(l -> l.startsWith("fix changes the setting")))
                .containsExactly("fix changes the setting      0/1               1/1               1/2",
                        "fix changes the setting      1/1               0/1               1/2");
    }

    @Test
    void theTableHasOneRowPerScenarioWithACellPerSeed() {
        RootCause lr = training("LEARNING_RATE_TOO_LOW", Setting.LEARNING_RATE_SCHEDULE);
        SetCard card = new SetCard(List.of(
                report("schedule", 1, lr, fix(Setting.LEARNING_RATE_SCHEDULE, "LEARNING_RATE_TOO_LOW"), warn("X")),
                report("healthy", 1, RootCause.healthy()),
                report("schedule", 2, lr, warn("X"), warn("Y"), warn("LEARNING_RATE_TOO_LOW")),
                report("healthy", 2, RootCause.healthy(), warn("OVERFITTING"))));
        List<String> lines = card.table().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("seed 1").contains("seed 2");
        assertThat(lines.get(1)).startsWith("schedule").contains("LEARNING_RATE_SCHEDULE").contains("training")
                .contains("1F/2").contains("3/3");
        assertThat(lines.get(2)).startsWith("healthy").contains("ok").contains("!1");
    }

    @Test
    void refusesInconsistentCountsAndLabels() {
        assertThatThrownBy(() -> new ScoreCard(List.of(), 1, 2, 1, 0, 0, 0, 0, 0))
                .hasMessageContaining("inconsistent counts");
        assertThatThrownBy(() -> new ScoreCard(List.of(), 1, 0, 0, 2, 0, 0, 0, 0))
                .hasMessageContaining("inconsistent counts");
        assertThatThrownBy(() -> new RootCause(null, List.of("dense1"), Set.of(), null))
                .hasMessageContaining("healthy");
        assertThatThrownBy(() -> new RootCause("DEAD_UNITS", List.of(), Set.of(), ONLY_IN_TRAINING))
                .hasMessageContaining("setting");
        assertThatThrownBy(() -> new RootCause("DEAD_UNITS", List.of(), Set.of(Setting.BIAS_INIT), null))
                .hasMessageContaining("detection");
        assertThat(training("DEAD_UNITS", Setting.BIAS_INIT, "dense1").matches(warn("DEAD_UNITS"))).isFalse();
        assertThat(RootCause.healthy().matches(warn("DEAD_UNITS"))).isFalse();
    }
}
