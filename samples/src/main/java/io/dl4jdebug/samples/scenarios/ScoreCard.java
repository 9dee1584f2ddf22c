package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How well a diagnosis reading names root causes on the labelled set: root cause first and in the top 3 (bug
 * scenarios), the median number of loud lines per bug report, reports that contradict themselves, and false alarms
 * (healthy scenarios with at least one loud line).
 *
 * @param reports        the rows, in the order run
 * @param bugs           bug scenarios
 * @param rootCauseFirst bug scenarios whose first loud line names the root cause
 * @param rootCauseTop3  bug scenarios with the root cause among the first three loud lines
 * @param medianLoudLines median loud lines per bug report (0 when there are no bugs)
 * @param contradictory  reports (bugs and healthy) holding both symptoms of a {@link #CONTRADICTIONS} pair
 * @param healthy        healthy scenarios
 * @param falseAlarms    healthy scenarios with at least one loud line
 */
public record ScoreCard(List<ScenarioReport> reports, int bugs, int rootCauseFirst, int rootCauseTop3,
                        double medianLoudLines, int contradictory, int healthy, int falseAlarms) {

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
        if (rootCauseFirst > rootCauseTop3 || rootCauseTop3 > bugs || falseAlarms > healthy) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "inconsistent counts: first %d, top 3 %d,"
                    + " bugs %d, false alarms %d, healthy %d", rootCauseFirst, rootCauseTop3, bugs, falseAlarms,
                    healthy));
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
        int contradictory = (int) reports.stream().filter(r -> contradicts(r.entries())).count();
        int alarms = (int) healthyReports.stream().filter(r -> !r.entries().isEmpty()).count();
        return new ScoreCard(reports, bugReports.size(), first, top3,
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

    /** @return the per-scenario table, one line per scenario */
    public String table() {
        StringBuilder sb = new StringBuilder();
        String row = "%-26s %-4s %-36s %-36s %-5s %5s %6s%n";
        sb.append(String.format(Locale.ROOT, row, "scenario", "kind", "label", "first loud line", "rank", "loud",
                "s"));
        for (ScenarioReport r : reports) {
            OptionalInt rank = r.rank();
            sb.append(String.format(Locale.ROOT, row, r.name(), r.kind() == ModelKind.COMPUTATION_GRAPH ? "CG"
                            : "MLN", r.label(), r.entries().isEmpty() ? "-" : describe(r.entries().get(0)),
                    r.label().isHealthy() ? "" : rank.isPresent() ? String.valueOf(rank.getAsInt()) : "-",
                    r.entries().size(), String.format(Locale.ROOT, "%.1f", r.seconds())));
        }
        return sb.toString();
    }

    /** @return the card: the metrics, one per line */
    public String summary() {
        return String.format(Locale.ROOT, "root cause first:            %d/%d%n"
                        + "root cause in top 3:         %d/%d%n"
                        + "median loud lines (bugs):    %s%n"
                        + "contradictory reports:       %d/%d%n"
                        + "false alarms (healthy):      %d/%d%n", rootCauseFirst, bugs, rootCauseTop3, bugs,
                medianLoudLines % 1 == 0 ? String.valueOf((long) medianLoudLines) : String.valueOf(medianLoudLines),
                contradictory, reports.size(), falseAlarms, healthy);
    }

    private static String describe(LoudEntry e) {
        String text = e.symptom() + (e.layers().isEmpty() ? "" : "@" + e.layers().get(0)
                + (e.layers().size() > 1 ? "+" + (e.layers().size() - 1) : ""));
        return text.length() <= 36 ? text : text.substring(0, 35) + "~";
    }

    private static double median(int[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
