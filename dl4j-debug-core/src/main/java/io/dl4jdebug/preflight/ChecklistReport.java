package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of the quick checklist: one item per check, and a finding for every item that warned or failed.
 *
 * @param items    the checks in the order they ran
 * @param findings the findings of the WARN and FAIL items, in the same order
 */
public record ChecklistReport(List<ChecklistItem> items, List<Finding> findings) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public ChecklistReport {
        items = List.copyOf(items);
        findings = List.copyOf(findings);
    }

    /**
     * @param id an item id, e.g. "data.finite"
     * @return that item, empty when the checklist has no such item
     */
    public Optional<ChecklistItem> item(String id) {
        return items.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /**
     * @param id an item id
     * @return its status
     * @throws IllegalArgumentException when there is no item with that id (naming the ids that exist)
     */
    public CheckStatus status(String id) {
        return item(id).map(ChecklistItem::status).orElseThrow(() -> new IllegalArgumentException(
                "no checklist item '" + id + "'; items are " + items.stream().map(ChecklistItem::id).toList()));
    }

    /**
     * @param symptom a symptom
     * @return the findings with that symptom
     */
    public List<Finding> findings(Symptom symptom) {
        return findings.stream().filter(f -> f.symptom() == symptom).toList();
    }

    /** @return true when any item warned or failed */
    public boolean hasProblems() {
        return items.stream().anyMatch(i -> i.status().isProblem());
    }

    /** @return the report as a plain-text table, one line per item, failures first within the run order */
    public String toText() {
        StringBuilder sb = new StringBuilder("Quick checklist\n");
        for (ChecklistItem item : items) {
            sb.append(String.format(Locale.ROOT, "  %-7s %-28s %s%n", item.status(), item.id(), item.message()));
            if (!item.evidence().isEmpty() && item.status() != CheckStatus.PASS) {
                sb.append("          ").append(item.evidence().entrySet().stream()
                        .map(ChecklistReport::format).collect(Collectors.joining(", "))).append('\n');
            }
        }
        // One line per distinct fix: findings of the same symptom with the same suggestions (e.g. every parameter
        // without a gradient) share it, their locations listed together.
        Map<String, List<String>> locationsByFix = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (!f.suggestions().isEmpty()) {
                String fix = f.symptom() + ": " + String.join("; ", f.suggestions());
                String where = f.location().orElse("");
                List<String> locations = locationsByFix.computeIfAbsent(fix, k -> new ArrayList<>());
                if (!where.isEmpty() && !locations.contains(where)) {
                    locations.add(where);
                }
            }
        }
        for (Map.Entry<String, List<String>> e : locationsByFix.entrySet()) {
            List<String> at = e.getValue();
            String where = at.isEmpty() ? "" : " @" + (at.size() <= 3 ? String.join(", ", at)
                    : String.join(", ", at.subList(0, 3)) + " and " + (at.size() - 3) + " more");
            int colon = e.getKey().indexOf(':');
            sb.append("  fix ").append(e.getKey(), 0, colon).append(where).append(e.getKey().substring(colon))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String format(Map.Entry<String, Double> e) {
        return e.getKey() + "=" + String.format(Locale.ROOT, "%.6g", e.getValue());
    }
}
