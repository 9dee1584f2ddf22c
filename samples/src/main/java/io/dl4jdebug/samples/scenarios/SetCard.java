package io.dl4jdebug.samples.scenarios;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The labelled set's score at several seeds: per seed a {@link ScoreCard} of every report and one of each column,
 * the bugs readable before training and the bugs found only in training ({@link Detection}); and the per-scenario
 * table, one row per scenario with its result at every seed.
 *
 * @param reports the rows of every seed, in the order run
 */
public record SetCard(List<ScenarioReport> reports) {

    /** Copies the list. */
    public SetCard {
        reports = List.copyOf(Objects.requireNonNull(reports, "reports"));
    }

    /** @return the seeds the reports ran at, in the order first seen */
    public List<Long> seeds() {
        return reports.stream().map(ScenarioReport::seed).distinct().toList();
    }

    /**
     * @param seed a seed
     * @return the card of every report at that seed (bugs and healthy networks)
     */
    public ScoreCard at(long seed) {
        return ScoreCard.of(reports.stream().filter(r -> r.seed() == seed).toList());
    }

    /**
     * @param seed      a seed
     * @param detection a column
     * @return the card of the bug reports at that seed in that column (no healthy network)
     */
    public ScoreCard at(long seed, Detection detection) {
        return ScoreCard.of(reports.stream().filter(r -> r.seed() == seed && !r.label().isHealthy()
                && r.label().detection() == detection).toList());
    }

    /** @return per seed: the metrics in three columns (readable before training, found only in training, all) */
    public String card() {
        StringBuilder sb = new StringBuilder();
        String row = "%-28s %-17s %-17s %s%n";
        for (long seed : seeds()) {
            ScoreCard before = at(seed, Detection.BEFORE_TRAINING);
            ScoreCard training = at(seed, Detection.ONLY_IN_TRAINING);
            ScoreCard all = at(seed);
            sb.append(String.format(Locale.ROOT, row, "seed " + seed, "before training", "only in training", "all"));
            sb.append(String.format(Locale.ROOT, row, "root cause first", ratio(before.rootCauseFirst(), before.bugs()),
                    ratio(training.rootCauseFirst(), training.bugs()), ratio(all.rootCauseFirst(), all.bugs())));
            sb.append(String.format(Locale.ROOT, row, "root cause in top 3", ratio(before.rootCauseTop3(),
                    before.bugs()), ratio(training.rootCauseTop3(), training.bugs()), ratio(all.rootCauseTop3(),
                    all.bugs())));
            sb.append(String.format(Locale.ROOT, row, "fix changes the setting", ratio(before.fixChangesSetting(),
                    before.bugs()), ratio(training.fixChangesSetting(), training.bugs()),
                    ratio(all.fixChangesSetting(), all.bugs())));
            sb.append(String.format(Locale.ROOT, row, "median loud lines (bugs)", before.medianText(),
                    training.medianText(), all.medianText()));
            sb.append(String.format(Locale.ROOT, row, "contradictory reports", ratio(before.contradictory(),
                    before.reports().size()), ratio(training.contradictory(), training.reports().size()),
                    ratio(all.contradictory(), all.reports().size())));
            sb.append(String.format(Locale.ROOT, row, "false alarms (healthy)", "", "",
                    ratio(all.falseAlarms(), all.healthy())));
        }
        return sb.toString();
    }

    /**
     * @return one row per scenario: name, family, label, setting, column, and per seed the rank of the root cause
     *         ("-" when no line names it), "F" when the first line's fix changes the label's setting, and the loud
     *         lines; for a healthy network "ok" or "!" and its loud lines
     */
    public String table() {
        Map<String, List<ScenarioReport>> byName = new LinkedHashMap<>();
        reports.forEach(r -> byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r));
        List<Long> seeds = seeds();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-34s %-5s %-34s %-24s %-8s", "scenario", "model", "label", "setting",
                "seen"));
        seeds.forEach(s -> sb.append(String.format(Locale.ROOT, " %-7s", "seed " + s)));
        sb.append(String.format(Locale.ROOT, "%n"));
        for (List<ScenarioReport> rows : byName.values()) {
            ScenarioReport first = rows.get(0);
            RootCause label = first.label();
            sb.append(String.format(Locale.ROOT, "%-34s %-5s %-34s %-24s %-8s", first.name(), first.family(),
                    cut(label.toString(), 34), cut(label.settingsText(), 24),
                    label.isHealthy() ? "" : label.detection().shortName()));
            for (long seed : seeds) {
                String cell = rows.stream().filter(r -> r.seed() == seed).findFirst().map(SetCard::cell).orElse("");
                sb.append(String.format(Locale.ROOT, " %-7s", cell));
            }
            sb.append(String.format(Locale.ROOT, "%n"));
        }
        return sb.toString();
    }

    /**
     * @param r a report
     * @return its cell: "1F/2" (root cause first, fix right, 2 loud lines), "-/4" (not named), "ok" or "!3"
     */
    static String cell(ScenarioReport r) {
        int loud = r.entries().size();
        if (r.label().isHealthy()) {
            return loud == 0 ? "ok" : "!" + loud;
        }
        OptionalInt rank = r.rank();
        return (rank.isPresent() ? String.valueOf(rank.getAsInt()) : "-") + (r.fixChangesSetting() ? "F" : "")
                + "/" + loud;
    }

    private static String ratio(int n, int of) {
        return n + "/" + of;
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
