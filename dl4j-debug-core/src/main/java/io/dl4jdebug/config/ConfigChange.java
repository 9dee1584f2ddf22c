package io.dl4jdebug.config;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One change that {@code Dl4jDebug.attach} made to the user's network or to ND4J's global settings, as logged (one
 * line) and written to the JSON report's {@code "debugConfiguration"} array.
 *
 * @param setting     what was changed, e.g. {@code "gradientNormalization"}
 * @param oldValue    the value before attach (per layer values are listed in {@code layers} when they differ)
 * @param newValue    the value attach set
 * @param layers      the layers changed, in topological order; empty for a global setting
 * @param changesMath whether the change alters the training math (gradient clipping does; the NaN panic and
 *                    disabled helpers change speed and determinism only)
 * @param restored    whether {@code Session.close()} puts the old value back
 * @param switchOff   the {@link DebugConfig} builder call that leaves this setting alone
 */
public record ConfigChange(String setting, String oldValue, String newValue, List<String> layers,
                           boolean changesMath, boolean restored, String switchOff) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the list. */
    public ConfigChange {
        Objects.requireNonNull(setting, "setting must not be null");
        Objects.requireNonNull(oldValue, "oldValue must not be null");
        Objects.requireNonNull(newValue, "newValue must not be null");
        Objects.requireNonNull(switchOff, "switchOff must not be null");
        layers = List.copyOf(layers);
    }

    /** @return the one log line: what changed, where, whether close() restores it, and how to switch it off */
    public String describe() {
        return "dl4j-debug changed " + setting + " from " + oldValue + " to " + newValue
                + (layers.isEmpty() ? "" : " on layers " + layers)
                + (changesMath ? " (this changes the training math)" : "")
                + (restored ? "; restored on close()" : "; not restored")
                + "; to leave it alone use DebugConfig.builder()." + switchOff;
    }
}
