package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.Objects;

/**
 * A raw finding the diagnosis does not show as its own, with the reason: it contradicts a stronger finding, it is a
 * verdict that needs a run that learned, or it is wrong for this network's configuration (e.g. "dead units" on a
 * layer without a ReLU). Kept for the report and {@code --verbose}.
 *
 * @param finding the finding
 * @param reason  one sentence: why it is not shown
 */
public record Dismissal(Finding finding, String reason) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public Dismissal {
        Objects.requireNonNull(finding, "finding");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a dismissal needs a reason");
        }
    }
}
