package io.dl4jdebug.samples;

import io.dl4jdebug.diagnose.Finding;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints findings for people: one numbered line each, most important first, with the suggested fixes. Stateless. */
public final class FindingsText {

    private FindingsText() {
    }

    /**
     * @param f a finding
     * @return one line: severity, level, symptom, where, from which iteration, and the message
     */
    public static String headline(Finding f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.severity()).append(' ').append(f.symptom()).append(" [").append(f.level()).append(']');
        f.layerName().ifPresent(l -> sb.append(" at ").append(l));
        f.parameterKey().ifPresent(p -> sb.append('/').append(p));
        sb.append(" (iteration ").append(f.firstIteration()).append("): ").append(f.message());
        return sb.toString();
    }

    /**
     * Prints findings already ordered most important first.
     *
     * @param ordered the findings, most important first
     * @param limit   how many to print in full (the rest are counted)
     * @param fixes   how many suggested fixes to print per finding
     * @param indent  prefix of every line
     * @param out     where to print
     */
    public static void print(List<Finding> ordered, int limit, int fixes, String indent, PrintStream out) {
        if (ordered.isEmpty()) {
            out.println(indent + "no findings");
            return;
        }
        for (int i = 0; i < Math.min(limit, ordered.size()); i++) {
            Finding f = ordered.get(i);
            out.printf(Locale.ROOT, "%s%d. %s%n", indent, i + 1, headline(f));
            for (int k = 0; k < Math.min(fixes, f.suggestions().size()); k++) {
                out.printf(Locale.ROOT, "%s   %s %s%n", indent, k == 0 ? "fix:" : "or: ", f.suggestions().get(k));
            }
        }
        if (ordered.size() > limit) {
            out.printf(Locale.ROOT, "%s... and %d more%n", indent, ordered.size() - limit);
        }
    }
}
