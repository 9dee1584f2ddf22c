package io.dl4jdebug.samples.scenarios;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How well a diagnosis reading names root causes on some of the labelled set's reports (one seed, or one column of
 * it): root cause first and in the top 3 (bug scenarios), whether the first loud line's fix changes the label's
 * setting, the median number of loud lines per bug report, reports that contradict themselves, and false alarms
 * (healthy scenarios with at least one loud line). {@link SetCard} puts the cards of the seeds and columns together.
 *
 * @param reports           the rows, in the order run
 * @param bugs              bug scenarios
 * @param rootCauseFirst    bug scenarios whose first loud line names the root cause
 * @param rootCauseTop3     bug scenarios with the root cause among the first three loud lines
 * @param fixChangesSetting bug scenarios whose first loud line's first fix changes one of the label's settings
 * @param medianLoudLines   median loud lines per bug report (0 when there are no bugs)
 * @param contradictory     reports (bugs and healthy) holding both symptoms of a {@link #CONTRADICTIONS} pair
 * @param healthy           healthy scenarios
 * @param falseAlarms       healthy scenarios with at least one loud line
 */
public record ScoreCard(List<ScenarioReport> reports, int bugs, int rootCauseFirst, int rootCauseTop3,
                        int fixChangesSetting, double medianLoudLines, int contradictory, int healthy,
                        int falseAlarms) {

    /**
     * Two symptoms that cannot both be true of one run.
     *
     * @param a         a symptom code
     * @param b         the other
     * @param sameLayer true when they only contradict each other on the same layer
     */
    public record Contradiction(String a, String b, boolean sameLayer) {

        /** Validates the fields. */
        public Contradiction {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
        }

        /**
         * @param entries the loud lines of one report
         * @return whether they hold both symptoms (on a common layer when {@link #sameLayer})
         */
        public boolean heldBy(List<LoudEntry> entries) {
            for (LoudEntry x : entries) {
                for (LoudEntry y : entries) {
                    if (x.symptom().equals(a) && y.symptom().equals(b)
                            && (!sameLayer || x.layers().stream().anyMatch(y.layers()::contains))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** The pairs of symptoms one report must not hold together. */
    public static final List<Contradiction> CONTRADICTIONS = List.of(
            new Contradiction("LEARNING_RATE_TOO_HIGH", "LEARNING_RATE_TOO_LOW", false),
            new Contradiction("OVERFITTING", "UNDERFITTING", false),
            new Contradiction("OVERFITTING", "LOSS_NOT_DECREASING", false),
            new Contradiction("OVERFITTING", "LOSS_DIVERGING", false),
            new Contradiction("UNDERFITTING", "LOSS_NOT_DECREASING", false),
            new Contradiction("UNDERFITTING", "LOSS_DIVERGING", false),
            new Contradiction("EXPLODING_GRADIENT", "VANISHING_GRADIENT", true));

    /** Validates the counts and copies the list. */
    public ScoreCard {
        reports = List.copyOf(reports);
        if (rootCauseFirst > rootCauseTop3 || rootCauseTop3 > bugs || fixChangesSetting > bugs
                || falseAlarms > healthy) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "inconsistent counts: first %d, top 3 %d,"
                    + " fix %d, bugs %d, false alarms %d, healthy %d", rootCauseFirst, rootCauseTop3,
                    fixChangesSetting, bugs, falseAlarms, healthy));
        }
    }

    /**
     * @param reports the rows of one reading
     * @return the card
     */
    public static ScoreCard of(List<ScenarioReport> reports) {
        List<ScenarioReport> bugReports = reports.stream().filter(r -> !r.label().isHealthy()).toList();
        List<ScenarioReport> healthyReports = reports.stream().filter(r -> r.label().isHealthy()).toList();
        int first = (int) bugReports.stream().filter(r -> r.rank().orElse(0) == 1).count();
        int top3 = (int) bugReports.stream().filter(r -> r.rank().isPresent() && r.rank().getAsInt() <= 3).count();
        int fix = (int) bugReports.stream().filter(ScenarioReport::fixChangesSetting).count();
        int contradictory = (int) reports.stream().filter(r -> contradicts(r.entries())).count();
        int alarms = (int) healthyReports.stream().filter(r -> !r.entries().isEmpty()).count();
        return new ScoreCard(reports, bugReports.size(), first, top3, fix,
                median(bugReports.stream().mapToInt(r -> r.entries().size()).sorted().toArray()), contradictory,
                healthyReports.size(), alarms);
    }

    /**
     * @param entries the loud lines of one report
     * @return whether they hold a {@link #CONTRADICTIONS} pair
     */
    public static boolean contradicts(List<LoudEntry> entries) {
        return CONTRADICTIONS.stream().anyMatch(c -> c.heldBy(entries));
    }

    /** @return the card: the metrics, one per line */
    public String summary() {
        return String.format(Locale.ROOT, "root cause first:            %d/%d%n"
                        + "root cause in top 3:         %d/%d%n"
                        + "fix changes the setting:     %d/%d%n"
                        + "median loud lines (bugs):    %s%n"
                        + "contradictory reports:       %d/%d%n"
                        + "false alarms (healthy):      %d/%d%n", rootCauseFirst, bugs, rootCauseTop3, bugs,
                fixChangesSetting, bugs, medianText(), contradictory, reports.size(), falseAlarms, healthy);
    }

    /** @return the median loud lines, without ".0" when whole */
    public String medianText() {
        return medianLoudLines % 1 == 0 ? String.valueOf((long) medianLoudLines) : String.valueOf(medianLoudLines);
    }

    private static double median(int[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
