package io.dl4jdebug.cli;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Dismissal;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints findings for people: one numbered line each, most important first, with the suggested fixes. Stateless. */
public final class FindingsText {

    private FindingsText() {
    }

    /**
     * @param v a loss or another number
     * @return it with four decimals, or "NaN" / "Infinity" as they are
     */
    public static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
    }

    /**
     * @param f a finding
     * @return one line: severity, level, symptom, where, from which iteration, and the message
     */
    public static String headline(Finding f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.severity()).append(' ').append(f.symptom()).append(" [").append(f.level()).append(']');
        f.location().ifPresent(l -> sb.append(" at ").append(l));
        sb.append(" (iteration ").append(f.firstIteration()).append("): ").append(f.message());
        return sb.toString();
    }

    /**
     * @param i an incident
     * @return one line: severity, the root cause's symptom and level, where, from which iteration, and its message
     */
    public static String headline(Incident i) {
        return i.headline();
    }

    /**
     * Prints a diagnosis: the loud incidents (WARN/ERROR) numbered, each with its fix, its verification and the
     * consequences it explains; then the quiet (INFO) ones in one line; with {@code verbose} also the dismissed
     * findings with their reasons.
     *
     * @param diagnosis the diagnosis
     * @param fixes     how many fix lines to print per incident
     * @param verbose   whether to print the INFO incidents in full and the dismissed findings
     * @param indent    prefix of every line
     * @param out       where to print
     */
    public static void print(Diagnosis diagnosis, int fixes, boolean verbose, String indent, PrintStream out) {
        List<Incident> loud = diagnosis.loud();
        if (loud.isEmpty()) {
            out.println(indent + "no problem found");
        }
        int n = 0;
        for (Incident i : diagnosis.incidents()) {
            if (!i.loud() && !verbose) {
                continue;
            }
            out.printf(Locale.ROOT, "%s%d. %s%n", indent, ++n, headline(i));
            List<String> evidence = i.evidence();
            if (verbose || !i.headline().endsWith(evidence.get(0))) {
                for (String line : verbose ? evidence : evidence.subList(0, 1)) {
                    out.printf(Locale.ROOT, "%s   evidence: %s%n", indent, line);
                }
            }
            List<String> fix = i.fix();
            for (int k = 0; k < Math.min(fixes, fix.size()); k++) {
                out.printf(Locale.ROOT, "%s   %s %s%n", indent, k == 0 ? "fix:" : "or: ", fix.get(k));
            }
            i.verified().ifPresent(v -> out.printf(Locale.ROOT, "%s   %s (%.1f s)%n", indent, v.summary(),
                    v.seconds()));
            if (!i.consequences().isEmpty()) {
                out.printf(Locale.ROOT, "%s   %s%n", indent, i.explains());
            }
        }
        List<Incident> quiet = diagnosis.incidents().stream().filter(i -> !i.loud()).toList();
        if (!verbose && !quiet.isEmpty()) {
            out.printf(Locale.ROOT, "%s(%d note%s: %s; --verbose prints them)%n", indent, quiet.size(),
                    quiet.size() == 1 ? "" : "s", quiet.stream().map(i -> i.symptom().name()).distinct()
                            .collect(Collectors.joining(", ")));
        }
        if (verbose && !diagnosis.dismissed().isEmpty()) {
            out.printf(Locale.ROOT, "%sdismissed findings:%n", indent);
            for (Dismissal d : diagnosis.dismissed()) {
                out.printf(Locale.ROOT, "%s  - %s: %s%n", indent, headline(d.finding()), d.reason());
            }
        }
    }

    /**
     * Groups neighbouring findings with the same symptom and severity, as {@link #print} prints them: one line each.
     *
     * @param ordered findings in reading order
     * @return the groups, in order
     */
    public static List<List<Finding>> groups(List<Finding> ordered) {
        List<List<Finding>> groups = new ArrayList<>();
        for (Finding f : ordered) {
            List<Finding> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && last.get(0).symptom() == f.symptom() && last.get(0).severity() == f.severity()) {
                last.add(f);
            } else {
                groups.add(new ArrayList<>(List.of(f)));
            }
        }
        return groups;
    }

    /**
     * Prints findings already ordered most important first. Neighbouring findings with the same symptom and
     * severity (the same problem in several layers) are printed as one entry: the first in full, the others'
     * locations on one line.
     *
     * @param ordered the findings, most important first
     * @param limit   how many entries to print in full (the rest are counted)
     * @param fixes   how many suggested fixes to print per entry
     * @param indent  prefix of every line
     * @param out     where to print
     */
    public static void print(List<Finding> ordered, int limit, int fixes, String indent, PrintStream out) {
        if (ordered.isEmpty()) {
            out.println(indent + "no findings");
            return;
        }
        List<List<Finding>> groups = groups(ordered);
        for (int i = 0; i < Math.min(limit, groups.size()); i++) {
            List<Finding> group = groups.get(i);
            Finding f = group.get(0);
            out.printf(Locale.ROOT, "%s%d. %s%n", indent, i + 1, headline(f));
            if (group.size() > 1) {
                out.printf(Locale.ROOT, "%s   (+%d more %s: %s)%n", indent, group.size() - 1, f.symptom(),
                        group.subList(1, group.size()).stream().map(g -> g.location().orElse("network")).distinct()
                                .collect(Collectors.joining(", ")));
            }
            for (int k = 0; k < Math.min(fixes, f.suggestions().size()); k++) {
                out.printf(Locale.ROOT, "%s   %s %s%n", indent, k == 0 ? "fix:" : "or: ", f.suggestions().get(k));
            }
        }
        if (groups.size() > limit) {
            int rest = groups.subList(limit, groups.size()).stream().mapToInt(List::size).sum();
            out.printf(Locale.ROOT, "%s... and %d more finding%s%n", indent, rest, rest == 1 ? "" : "s");
        }
    }
}
