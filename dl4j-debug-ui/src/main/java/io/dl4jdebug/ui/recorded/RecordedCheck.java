package io.dl4jdebug.ui.recorded;

import java.io.Serializable;
import java.util.Objects;

/**
 * One check of a recorded run's diagnosis and whether the stored statistics let it run.
 *
 * @param name   what is checked, e.g. "loss curve (not decreasing, diverging, oscillating)"
 * @param ran    true when it ran on the stored statistics
 * @param detail what it read (when it ran) or why it could not run
 */
public record RecordedCheck(String name, boolean ran, String detail) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public RecordedCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    static RecordedCheck ran(String name, String detail) {
        return new RecordedCheck(name, true, detail);
    }

    static RecordedCheck skipped(String name, String reason) {
        return new RecordedCheck(name, false, reason);
    }
}
