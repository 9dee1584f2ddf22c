package io.dl4jdebug.check;

import io.dl4jdebug.diagnose.Incident;

import java.util.List;
import java.util.Locale;

/** One-line text of an incident for assertion messages (the command line prints the same headline). Stateless. */
final class IncidentText {

    /** Layers named in a headline before "and n more". */
    private static final int LAYERS_SHOWN = 8;

    private IncidentText() {
    }

    /**
     * @param i an incident
     * @return severity, the root cause's symptom and level, where, from which iteration, and its message
     */
    static String headline(Incident i) {
        StringBuilder sb = new StringBuilder();
        sb.append(i.severity()).append(' ').append(i.symptom()).append(" [").append(i.level()).append(']');
        List<String> layers = i.root().layers();
        if (!layers.isEmpty()) {
            sb.append(" at ").append(String.join(", ", layers.size() > LAYERS_SHOWN
                    ? layers.subList(0, LAYERS_SHOWN) : layers));
            if (layers.size() > LAYERS_SHOWN) {
                sb.append(" and ").append(layers.size() - LAYERS_SHOWN).append(" more");
            }
        }
        sb.append(" (iteration ").append(i.root().firstIteration()).append("): ").append(i.root().worst().message());
        return sb.toString();
    }

    /** @return v with four decimals, or "NaN" / "Infinity" */
    static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
    }

    /** @return a share as a whole percentage, e.g. "95%" */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
