package io.dl4jdebug.cli.diagnose;

/** Bad input to a command (a missing file, a file of the wrong kind): printed as one line, exit code 2. */
public class UserInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, where, and what would be valid
     */
    public UserInputException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, where, and what would be valid
     * @param cause   the underlying error (shown with --verbose)
     */
    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
