package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem: a root cause, the consequences it explains (folded under it, one entry per symptom), the fix worded
 * for this network, and, when it was tried on a copy, the verification.
 *
 * @param id           1-based, in the diagnosis' order
 * @param root         the root cause's group
 * @param consequences the groups it explains, in causal order
 * @param remedies     the fixes for this network, best first (empty when only advice can be given)
 * @param advice       further fix text that cannot be applied automatically
 * @param verification the trial of the first remedy that was tried, null when none was
 */
public record Incident(int id, SymptomGroup root, List<SymptomGroup> consequences, List<Remedy> remedies,
                       List<String> advice, Verification verification) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the lists. */
    public Incident {
        if (id < 1) {
            throw new IllegalArgumentException("id must be >= 1 but was " + id);
        }
        Objects.requireNonNull(root, "root");
        consequences = List.copyOf(consequences);
        remedies = List.copyOf(remedies);
        advice = List.copyOf(advice);
    }

    /** @return the highest severity of the root and its consequences */
    public Severity severity() {
        Severity s = root.severity();
        for (SymptomGroup g : consequences) {
            s = g.severity().compareTo(s) > 0 ? g.severity() : s;
        }
        return s;
    }

    /** The most characters {@link #headline()} has. */
    public static final int HEADLINE_LENGTH = 160;

    /**
     * @return the setting the incident's fix changes: the confirmed remedy's, else the first remedy's; for a
     *         data-level root without a remedy the data property its advice changes ({@link Symptom#dataProperty});
     *         empty when only other advice can be given
     */
    public Optional<Setting> setting() {
        if (verification != null && verification.confirmed()) {
            return Optional.of(verification.remedy().setting());
        }
        return remedies.isEmpty() ? symptom().dataProperty() : Optional.of(remedies.get(0).setting());
    }

    /**
     * One line a person reads, at most {@value #HEADLINE_LENGTH} characters: severity, the root cause, where (the
     * worst layer, and how many more), from which iteration, the setting its fix changes, and the start of the worst
     * finding's message (what, with the number that shows it). The whole message and the per-layer evidence are in
     * {@link #evidence()}.
     *
     * @return the headline
     */
    public String headline() {
        StringBuilder sb = new StringBuilder();
        sb.append(severity()).append(' ').append(symptom());
        List<String> layers = root.layers();
        if (!layers.isEmpty()) {
            sb.append(" at ").append(layers.get(0));
            if (layers.size() > 1) {
                sb.append(" +").append(layers.size() - 1);
            }
        }
        sb.append(" (it. ").append(root.firstIteration()).append(')');
        setting().ifPresent(s -> sb.append(" [").append(s.name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ')).append(']'));
        sb.append(": ").append(root.worst().message());
        if (sb.length() <= HEADLINE_LENGTH) {
            return sb.toString();
        }
        return cut(sb.toString(), HEADLINE_LENGTH);
    }

    /**
     * @return the worst finding's message cut at a word to at most {@value #HEADLINE_LENGTH} characters (what the Debug
     *         page shows next to the symptom and layers); the whole message is {@code evidence().get(0)}
     */
    public String shortMessage() {
        String m = root.worst().message();
        return m.length() <= HEADLINE_LENGTH ? m : cut(m, HEADLINE_LENGTH);
    }

    private static String cut(String text, int length) {
        String c = text.substring(0, length - 1);
        int space = c.lastIndexOf(' ');
        return (space > length / 2 ? c.substring(0, space) : c) + "\u2026";
    }

    /**
     * @return the evidence under the headline: the worst finding's whole message, then one line per other layer of
     *         the root (its own message), at most ten
     */
    public List<String> evidence() {
        List<String> lines = new ArrayList<>();
        lines.add(root.worst().message());
        root.findings().stream().filter(f -> f != root.worst()).limit(9).forEach(f -> lines.add(
                f.location().map(l -> l + ": ").orElse("") + f.message()));
        return lines;
    }

    /** @return the root cause's symptom */
    public Symptom symptom() {
        return root.symptom();
    }

    /** @return the root cause's level */
    public Level level() {
        return root.level();
    }

    /** @return true when the severity is WARN or ERROR: a line the user must read */
    public boolean loud() {
        return severity() != Severity.INFO;
    }

    /** @return the verification, empty when the fix was not tried */
    public Optional<Verification> verified() {
        return Optional.ofNullable(verification);
    }

    /** @return true when a remedy was tried on a copy and confirmed */
    public boolean confirmed() {
        return verification != null && verification.confirmed();
    }

    /** @return the fix lines: the remedies' texts, then the advice */
    public List<String> fix() {
        List<String> all = new ArrayList<>();
        remedies.forEach(r -> all.add(r.text()));
        all.addAll(advice);
        return all;
    }

    /** @return e.g. "explains: GRADIENT_MISSING on 24 parameters in 12 layers (...), DEAD_UNITS on ..." or "" */
    public String explains() {
        if (consequences.isEmpty()) {
            return "";
        }
        return "explains: " + String.join("; ", consequences.stream().map(SymptomGroup::summary).toList());
    }

    /** @return every finding of the incident, the root's first */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(root.findings());
        consequences.forEach(g -> all.addAll(g.findings()));
        return all;
    }

    /**
     * @param id           the new id
     * @param verification the trial
     * @return a copy with another id and verification
     */
    public Incident with(int id, Verification verification) {
        return new Incident(id, root, consequences, remedies, advice, verification);
    }
}
