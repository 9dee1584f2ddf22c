package io.dl4jdebug.cli.ui;

import io.dl4jdebug.publish.BoundedShutdownHook;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.ui.DebugModule;
import io.dl4jdebug.ui.StatsStorageSink;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code --ui} and {@code --stats-file} set up for a command: one {@link StatsStorage} (in memory, or a
 * {@link FileStatsStorage} file when {@code --stats-file} is given), the DL4J UI server with the Debug page attached
 * to it (only with {@code --ui}), and per training run a DL4J {@link StatsListener} plus a {@link StatsStorageSink}
 * with the same session and worker IDs, so that the Overview / Model / System pages and the Debug page show the same
 * run.
 *
 * <pre>{@code
 * try (UiSession ui = UiSession.start(options, System.out)) {
 *     UiSession.Run run = ui.newRun("buggy");
 *     run.attach(net);                                   // DL4J's StatsListener
 *     DebugSuite.Builder b = DebugSuite.builder();
 *     run.sink().ifPresent(b::sink);                     // the Debug page's records
 *     ...train...
 *     ui.awaitAfterTraining();                           // keeps serving until Ctrl+C or --ui-seconds
 * }
 * }</pre>
 * DL4J 1.0.0-M2.1's UI server listens on all network interfaces (see docs/ui.md); the printed URL is the localhost
 * one. The server is DL4J's singleton: one session per JVM at a time. Not thread safe.
 */
public final class UiSession implements AutoCloseable {

    /** StatsListener reporting period (iterations) unless a run asks for another. */
    public static final int DEFAULT_STATS_FREQUENCY = 10;

    private static final Logger LOG = LoggerFactory.getLogger(UiSession.class);

    private final UiOptions options;
    private final PrintStream out;
    private final StatsStorage storage;
    private final UIServer server;
    private final BoundedShutdownHook shutdownHook;
    private int runs;
    private boolean closed;

    private UiSession(UiOptions options, PrintStream out, StatsStorage storage, UIServer server) {
        this.options = options;
        this.out = out;
        this.storage = storage;
        this.server = server;
        if (storage != null) {
            // bounded: closing the storage waits for its lock, which a training thread still writing may hold
            this.shutdownHook = BoundedShutdownHook.register("dl4j-debug-ui-session-shutdown",
                    BoundedShutdownHook.DEFAULT_LIMIT, this::closeStorage);
        } else {
            this.shutdownHook = null;
        }
    }

    /**
     * Opens the storage and, with {@code --ui}, starts the UI server and prints its URL.
     *
     * @param options the command's options
     * @param out     where the URL and the serving notes are printed
     * @return the session; {@link #enabled()} is false when neither --ui nor --stats-file was given
     * @throws IllegalArgumentException when an option is invalid or the server cannot start (the message names the
     *                                  option and the value)
     */
    public static UiSession start(UiOptions options, PrintStream out) {
        Objects.requireNonNull(options, "options must not be null");
        Objects.requireNonNull(out, "out must not be null");
        if (!options.enabled()) {
            return new UiSession(options, out, null, null);
        }
        if (options.port() < 0 || options.port() > 0xFFFF) {
            throw new IllegalArgumentException("--ui-port must be in 0..65535 but was " + options.port());
        }
        if (options.seconds() != null && options.seconds() < 0) {
            throw new IllegalArgumentException("--ui-seconds must be >= 0 but was " + options.seconds());
        }
        StatsStorage storage = options.statsFile() == null ? new InMemoryStatsStorage()
                : openFile(options.statsFile());
        UIServer server = null;
        if (options.ui()) {
            try {
                server = VertxUIServer.getInstance(options.port(), false, null);
            } catch (RuntimeException e) {
                closeQuietly(storage);
                throw new IllegalArgumentException("cannot start the DL4J UI on port " + options.port() + " ("
                        + e.getMessage() + "); choose another with --ui-port, or 0 for any free port", e);
            }
            server.attach(storage);
            out.printf(Locale.ROOT, "DL4J UI: http://localhost:%d%s (Debug page); DL4J's Overview/Model/System at "
                    + "http://localhost:%d/train%n", server.getPort(), DebugModule.PAGE_PATH, server.getPort());
            out.println("  note: DL4J's UI server listens on all network interfaces, not only localhost "
                    + "(see docs/ui.md)");
        }
        if (options.statsFile() != null) {
            out.println("Stats file: " + options.statsFile().toAbsolutePath() + " (open it later with: mvn -q -pl "
                    + "dl4j-debug-ui -am compile exec:java -Dexec.args=" + options.statsFile().toAbsolutePath() + ")");
        }
        return new UiSession(options, out, storage, server);
    }

    /** @return a session that records nothing (no UI, no file) */
    public static UiSession disabled() {
        return new UiSession(new UiOptions(), System.out, null, null);
    }

    private static StatsStorage openFile(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--stats-file " + file + ": cannot create its directory ("
                    + e.getMessage() + ")", e);
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--stats-file " + file + " is a directory; give a file name");
        }
        try {
            return new FileStatsStorage(file.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--stats-file " + file + ": cannot open it as a DL4J stats file ("
                    + e.getMessage() + ")", e);
        }
    }

    /** @return whether runs are recorded (--ui or --stats-file) */
    public boolean enabled() {
        return storage != null;
    }

    /** @return the storage runs are recorded in, empty when disabled */
    public Optional<StatsStorage> storage() {
        return Optional.ofNullable(storage);
    }

    /** @return the running UI server, empty without --ui */
    public Optional<UIServer> server() {
        return Optional.ofNullable(server);
    }

    /** @return the Debug page's URL, empty without --ui */
    public Optional<String> debugUrl() {
        return server().map(s -> "http://localhost:" + s.getPort() + DebugModule.PAGE_PATH);
    }

    /**
     * Starts recording a training run with the default StatsListener period.
     *
     * @param label a short name of the run (part of its session ID, e.g. "buggy")
     * @return the run's listener and sink (both absent when the session is disabled)
     */
    public Run newRun(String label) {
        return newRun(label, DEFAULT_STATS_FREQUENCY);
    }

    /**
     * Starts recording a training run.
     *
     * @param label          a short name of the run (part of its session ID)
     * @param statsFrequency the StatsListener reporting period in iterations (>= 1)
     * @return the run's listener and sink (both absent when the session is disabled)
     */
    public Run newRun(String label, int statsFrequency) {
        if (statsFrequency < 1) {
            throw new IllegalArgumentException("statsFrequency must be >= 1 but was " + statsFrequency);
        }
        if (storage == null) {
            return new Run(null, null);
        }
        runs++;
        String session = String.format(Locale.ROOT, "dl4j-debug-%s-%d-%d", label.replaceAll("[^A-Za-z0-9_-]", "_"),
                System.currentTimeMillis(), runs);
        StatsListener listener = new StatsListener(storage, statsFrequency, session);
        StatsStorageSink sink = StatsStorageSink.builder(storage).sameIdsAs(listener).build();
        return new Run(listener, sink);
    }

    /**
     * With --ui: keeps the server up after training, for {@code --ui-seconds} seconds or until Ctrl+C (the JVM's
     * interrupt ends the wait). Returns at once without --ui.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitAfterTraining() throws InterruptedException {
        if (server == null) {
            return;
        }
        String url = debugUrl().orElseThrow();
        if (options.seconds() != null) {
            out.printf(Locale.ROOT, "Training done; serving %s for %d more seconds.%n", url, options.seconds());
            out.flush();
            Thread.sleep(options.seconds() * 1000L);
            return;
        }
        out.println("Training done; the UI keeps serving " + url + ". Ctrl+C stops.");
        out.flush();
        while (true) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Stops the UI server (when started) and closes the storage. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            try {
                UIServer.stopInstance();
            } catch (Exception e) {
                LOG.warn("the DL4J UI server did not stop cleanly", e);
            }
        }
        closeStorage();
        if (shutdownHook != null) {
            shutdownHook.remove();
        }
    }

    private synchronized void closeStorage() {
        if (storage != null && !storage.isClosed()) {
            closeQuietly(storage);
        }
    }

    private static void closeQuietly(StatsStorage storage) {
        try {
            storage.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not close the stats storage {}", storage, e);
        }
    }

    /** One recorded training run: DL4J's StatsListener and the Debug page's sink, sharing session and worker. */
    public static final class Run {
        private final StatsListener listener;
        private final StatsStorageSink sink;

        private Run(StatsListener listener, StatsStorageSink sink) {
            this.listener = listener;
            this.sink = sink;
        }

        /** @return DL4J's listener (Overview / Model / System pages), empty when the session is disabled */
        public Optional<StatsListener> listener() {
            return Optional.ofNullable(listener);
        }

        /** @return the Debug page's sink, to add to the DebugSuite; empty when the session is disabled */
        public Optional<DebugSink> sink() {
            return Optional.ofNullable(sink);
        }

        /** @return the run's session ID, empty when the session is disabled */
        public Optional<String> sessionId() {
            return sink == null ? Optional.empty() : Optional.of(sink.sessionId());
        }

        /**
         * Adds DL4J's StatsListener to a network (after its other listeners). No-op when disabled.
         *
         * @param model a MultiLayerNetwork or ComputationGraph
         * @throws io.dl4jdebug.model.UnsupportedModelException for other model types
         */
        public void attach(Model model) {
            if (listener == null) {
                return;
            }
            ModelView.of(model).addListeners(listener);
        }
    }
}
