package io.dl4jdebug.listener;

/**
 * Tells which DL4J {@code ParallelWrapper} worker runs the current callback. ParallelWrapper (M2.1) runs each worker's
 * trainer, which trains its own model replica with {@code fit(DataSet)}, on its own thread of a fixed pool named
 * {@code "ParallelWrapper training thread <n>"}; worker {@code n} is the trainer DL4J names
 * {@code <wrapper UUID>_thread_<n>} (the worker ID of its {@code StatsListener} clone). This is read from the thread
 * name, so dl4j-debug-core needs no dependency on deeplearning4j-parallel-wrapper. Other data-parallel trainers
 * whose worker is known to the caller (DL4J's Spark training: {@code dl4j-debug-spark}) name it with
 * {@link #runAs(String, Runnable)}, which takes precedence over the thread name. Thread safe.
 */
public final class Workers {

    /** The worker ID outside ParallelWrapper. */
    public static final String NONE = "";

    /** Prefix of the names of ParallelWrapper's training threads (ParallelWrapper.init(), M2.1). */
    static final String THREAD_PREFIX = "ParallelWrapper training thread ";

    private static final ThreadLocal<String> CURRENT = ThreadLocal.withInitial(() -> of(Thread.currentThread()));
    private static final ThreadLocal<String> ASSIGNED = new ThreadLocal<>();

    private Workers() {
    }

    /**
     * @return the ID of the ParallelWrapper worker running on the current thread ({@code "worker-<n>"}), or
     *         {@link #NONE} when the current thread is not one of ParallelWrapper's training threads
     */
    public static String current() {
        String assigned = ASSIGNED.get();
        return assigned != null ? assigned : CURRENT.get();
    }

    /**
     * Runs a body as the given worker: inside it {@link #current()} returns {@code worker} on this thread (the
     * listeners key their per-network state by it, and their snapshots and findings carry it). Nests; the previous
     * worker is restored afterwards, also when the body throws.
     *
     * @param worker the worker's ID (non-blank)
     * @param body   what to run
     */
    public static void runAs(String worker, Runnable body) {
        if (worker == null || worker.isBlank()) {
            throw new IllegalArgumentException("worker must be a non-blank ID but was '" + worker + "'");
        }
        String previous = ASSIGNED.get();
        ASSIGNED.set(worker);
        try {
            body.run();
        } finally {
            if (previous == null) {
                ASSIGNED.remove();
            } else {
                ASSIGNED.set(previous);
            }
        }
    }

    private static String of(Thread thread) {
        String name = thread.getName();
        if (name == null || !name.startsWith(THREAD_PREFIX)) {
            return NONE;
        }
        return "worker-" + name.substring(THREAD_PREFIX.length()).trim();
    }
}
