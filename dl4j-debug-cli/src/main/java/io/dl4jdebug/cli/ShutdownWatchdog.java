package io.dl4jdebug.cli;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The command line's guarantee that a terminated run exits: once the JVM begins to shut down (SIGTERM, Ctrl+C, or
 * {@code System.exit}), a daemon thread halts it if the shutdown hooks are still running after a time limit. The JVM
 * runs every registered hook to its end before it exits, and not all of them are dl4j-debug's (DL4J's UI server
 * registers one that waits, without a limit, for Vert.x to close): without this, one hook waiting on a lock or a
 * latch keeps the process alive until SIGKILL. dl4j-debug's own hooks finish within
 * {@link io.dl4jdebug.publish.BoundedShutdownHook#DEFAULT_LIMIT}; the limit here is longer. Halting is the
 * application's decision, so this lives in the command line, not in the library. Thread safe.
 */
public final class ShutdownWatchdog {

    /** How long the hooks may run before the JVM is halted. */
    public static final Duration LIMIT = Duration.ofSeconds(10);

    /** Exit status when the watchdog halts the JVM: 128 + SIGTERM, as a terminated process reports. */
    public static final int HALT_STATUS = 143;

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private ShutdownWatchdog() {
    }

    /**
     * Installs the watchdog once per JVM (later calls do nothing).
     *
     * @param limit how long the shutdown hooks may run (> 0)
     */
    public static void install(Duration limit) {
        Objects.requireNonNull(limit, "limit must not be null");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit must be > 0 but was " + limit);
        }
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        long millis = limit.toMillis();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                }
                System.err.println("dl4j-debug: shutdown hooks still running after " + millis + " ms; halting");
                System.err.flush();
                Runtime.getRuntime().halt(HALT_STATUS);
            }, "dl4j-debug-shutdown-watchdog");
            halt.setDaemon(true);
            halt.start();
        }, "dl4j-debug-shutdown-watchdog-start"));
    }
}
