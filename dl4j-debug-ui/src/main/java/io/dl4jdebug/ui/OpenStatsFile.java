package io.dl4jdebug.ui;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

import java.io.File;
import java.util.Objects;

/**
 * Opens a saved {@code FileStatsStorage} file (from a finished run, or one killed with {@code kill -9}) in the DL4J
 * training UI, with the Debug page:
 * <pre>
 * mvn -q -pl dl4j-debug-ui -am compile exec:java -Dexec.args="path/to/run.dl4j [port]"
 * </pre>
 * then browse to {@code http://localhost:9000/debug}. Stops with Ctrl+C.
 */
public final class OpenStatsFile {

    /** The DL4J UI's default port. */
    public static final int DEFAULT_PORT = VertxUIServer.DEFAULT_UI_PORT;

    private OpenStatsFile() {
    }

    /**
     * Starts the UI server (or reuses the running one) and attaches a stats file to it.
     *
     * @param file a file written by {@code FileStatsStorage}
     * @param port the port for a new server (0: any free port); ignored when a server already runs
     * @return the UI server; its {@code getPort()} is the port it listens on
     * @throws IllegalArgumentException when the file does not exist or the port is out of range
     */
    public static UIServer open(File file, int port) {
        Objects.requireNonNull(file, "file must not be null");
        if (!file.isFile()) {
            throw new IllegalArgumentException("stats file '" + file + "' does not exist or is not a file; pass the "
                    + "file given to new FileStatsStorage(...) during training");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
        }
        StatsStorage storage = new FileStatsStorage(file);
        UIServer server = VertxUIServer.getInstance(port, false, null);
        server.attach(storage);
        return server;
    }

    /**
     * @param args the stats file, optionally the port (default 9000)
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: OpenStatsFile <stats file> [port, default " + DEFAULT_PORT + "]");
            System.exit(2);
        }
        int port = DEFAULT_PORT;
        if (args.length == 2) {
            try {
                port = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                System.err.println("port must be a number in 0..65535 but was '" + args[1] + "'");
                System.exit(2);
            }
        }
        UIServer server;
        try {
            server = open(new File(args[0]), port);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("dl4j-debug: Debug page at http://localhost:" + server.getPort() + DebugModule.PAGE_PATH
                + " (DL4J pages at http://localhost:" + server.getPort() + "/train). Ctrl+C stops.");
        Thread.currentThread().join();
    }
}
