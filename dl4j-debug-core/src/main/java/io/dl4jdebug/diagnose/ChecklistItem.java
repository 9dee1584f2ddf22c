package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one item of the quick checklist (the method's section 3.1).
 *
 * @param id       a stable identifier, e.g. "data.finite", "model.gradients-reach-parameters"
 * @param level    the debugging level it checks
 * @param status   the verdict
 * @param message  one human sentence: what was checked and what was seen
 * @param evidence the numbers behind the verdict, in insertion order
 */
public record ChecklistItem(String id, Level level, CheckStatus status, String message, Map<String, Double> evidence)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the evidence. */
    public ChecklistItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(status, "status");
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a checklist item needs a message");
        }
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
