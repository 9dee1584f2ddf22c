package io.dl4jdebug.data;

import java.nio.file.Path;

/** Thrown when a dataset file is missing or unreadable; the message names the path and how to get the data. */
public class MissingDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path   the file that was looked for
     * @param advice how to get it
     * @param cause  the I/O error, or null
     */
    public MissingDataException(Path path, String advice, Throwable cause) {
        super("dataset file not found or unreadable: " + path + ". " + advice, cause);
        this.path = path;
    }

    /** @return the file that was looked for */
    public Path path() {
        return path;
    }
}
