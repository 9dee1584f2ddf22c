package io.dl4jdebug.ui.storage;

import java.io.Serializable;
import java.util.Objects;

/**
 * The static information of a dl4j-debug session in a storage: written once per kind, before the first update.
 *
 * @param startTimeMillis when the sink first wrote (epoch milliseconds)
 * @param formatVersion   the encoding version of the writer
 * @param hostname        the host that trained
 */
public record RunInfo(long startTimeMillis, int formatVersion, String hostname) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public RunInfo {
        Objects.requireNonNull(hostname, "hostname");
        if (formatVersion < 1) {
            throw new IllegalArgumentException("formatVersion must be >= 1 but was " + formatVersion);
        }
    }
}
