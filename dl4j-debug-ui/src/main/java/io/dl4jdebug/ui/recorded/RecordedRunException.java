package io.dl4jdebug.ui.recorded;

/**
 * A file or storage that holds no run recorded by DL4J's {@code StatsListener}; the message is one line naming the
 * path (or session) and what was expected.
 */
public final class RecordedRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line: the path, what was found, what was expected
     */
    public RecordedRunException(String message) {
        super(message);
    }

    /**
     * @param message one line: the path, what was found, what was expected
     * @param cause   the underlying failure
     */
    public RecordedRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
