package io.dl4jdebug.cli.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output file named on the command line before any training, so that a typo costs a second, not a run
 * whose results are lost: the path must not be a directory, its directory must exist and a file must be creatable
 * in it. Missing directories are not created (a typo would silently make them). Stateless.
 */
final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * @param option the option's name, e.g. {@code "--report"}
     * @param file   the path given
     * @throws UserInputException naming the option, the path and the fix
     */
    static void check(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(option + " " + file + " is a directory; give a file name, e.g. "
                    + file.resolve(defaultName(option)));
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            throw new UserInputException(option + " " + file + " has no directory; give a file name");
        }
        if (!Files.exists(dir)) {
            throw new UserInputException(option + " " + file + ": its directory " + dir + " does not exist; create "
                    + "it first or choose another path");
        }
        if (!Files.isDirectory(dir)) {
            throw new UserInputException(option + " " + file + ": " + dir + " is a file, not a directory");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new UserInputException(option + " " + file + " is not writable; choose another path");
        }
        try {
            Path probe = Files.createTempFile(dir, ".dl4j-debug-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UserInputException(option + " " + file + ": cannot write in " + dir + " (" + e + "); choose "
                    + "another path", e);
        }
    }

    private static String defaultName(String option) {
        return option.equals("--stats-file") ? "dl4j-debug-stats.dl4j" : "dl4j-debug-report.json";
    }
}
