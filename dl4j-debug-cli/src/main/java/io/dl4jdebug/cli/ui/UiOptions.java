package io.dl4jdebug.cli.ui;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The picocli options of {@link UiSession}, shared by every command that trains: add them with
 * {@code @CommandLine.Mixin UiOptions ui;} and start the session with {@link UiSession#start(UiOptions,
 * java.io.PrintStream)}.
 */
public final class UiOptions {

    @Option(names = "--ui", description = "Serve the DL4J training UI (Overview, Model, System and the Debug page) while "
            + "training and print its localhost URL; keep serving afterwards until Ctrl+C (or --ui-seconds). DL4J's "
            + "server listens on all network interfaces (docs/ui.md).")
    private boolean ui;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "Port of the UI (default: ${DEFAULT-VALUE}; 0 "
            + "picks a free port).")
    private int port = 9000;

    @Option(names = "--ui-seconds", paramLabel = "N", description = "With --ui: stop serving N seconds after "
            + "training instead of waiting for Ctrl+C (for scripts and tests).")
    private Integer seconds;

    @Option(names = "--stats-file", paramLabel = "FILE", description = "Also write the run to a FileStatsStorage "
            + "file, to open later: mvn -q -pl dl4j-debug-ui -am compile exec:java -Dexec.args=FILE")
    private Path statsFile;

    /** Options with the UI off and no stats file. */
    public UiOptions() {
    }

    /**
     * @param ui        whether to serve the UI
     * @param port      its port (0: any free port)
     * @param seconds   how long to keep serving after training, or null to wait for Ctrl+C
     * @param statsFile the stats file to write, or null
     */
    public UiOptions(boolean ui, int port, Integer seconds, Path statsFile) {
        this.ui = ui;
        this.port = port;
        this.seconds = seconds;
        this.statsFile = statsFile;
    }

    /** @return whether to serve the UI */
    public boolean ui() {
        return ui;
    }

    /** @return the UI port (0: any free port) */
    public int port() {
        return port;
    }

    /** @return seconds to keep serving after training, or null to wait for Ctrl+C */
    public Integer seconds() {
        return seconds;
    }

    /** @return the stats file to write, or null */
    public Path statsFile() {
        return statsFile;
    }

    /** @return whether anything is to be recorded (UI or stats file) */
    public boolean enabled() {
        return ui || statsFile != null;
    }
}
