package io.dl4jdebug.publish;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * A JVM shutdown hook that never holds the JVM up: its action runs on a daemon thread, and the hook waits for it at
 * most a time limit. The JVM runs every hook to its end before it exits, so a hook that waited on a lock held by the
 * training thread (which keeps running while the hooks run, or is itself blocked) would keep a terminated process
 * alive until SIGKILL; with this one the process exits within the limit and the action, if unfinished, is abandoned
 * with one line on standard error. Thread safe.
 */
public final class BoundedShutdownHook {

    /** How long a hook waits for its action unless told otherwise. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(BoundedShutdownHook.class);

    private final Thread hook;

    private BoundedShutdownHook(Thread hook) {
        this.hook = hook;
    }

    /**
     * Registers a hook.
     *
     * @param name   the hook's name (its thread's name, and the name in the message when it is abandoned)
     * @param limit  how long the hook waits for the action (> 0)
     * @param action what to do at shutdown; must not call {@code System.exit}
     * @return the registered hook
     * @throws IllegalStateException when the JVM is already shutting down
     */
    public static BoundedShutdownHook register(String name, Duration limit, Runnable action) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(action, "action must not be null");
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit must be > 0 but was " + limit);
        }
        long millis = Math.max(1, limit.toMillis());
        Thread hook = new Thread(() -> runBounded(name, millis, action), name);
        Runtime.getRuntime().addShutdownHook(hook);
        return new BoundedShutdownHook(hook);
    }

    private static void runBounded(String name, long millis, Runnable action) {
        Thread work = new Thread(() -> {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("dl4j-debug: {} failed at shutdown ({})", name, e.toString());
            }
        }, name + "-action");
        work.setDaemon(true);
        work.start();
        try {
            work.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (work.isAlive()) {
            System.err.println("dl4j-debug: " + name + " did not finish within " + millis + " ms at shutdown; the "
                    + "JVM exits without waiting for it");
        }
    }

    /**
     * Removes the hook (after its owner closed normally). Does nothing when the JVM is already shutting down: the
     * hook then runs, bounded as ever.
     *
     * @return true when it was removed
     */
    public boolean remove() {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM already shutting down; the hook {} runs", hook.getName(), e);
            return false;
        }
    }
}
