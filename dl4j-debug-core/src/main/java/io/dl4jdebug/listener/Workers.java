package io.dl4jdebug.listener;

/**
 * Tells which DL4J {@code ParallelWrapper} worker runs the current callback. ParallelWrapper (M2.1) runs each worker's
 * trainer, which trains its own model replica with {@code fit(DataSet)}, on its own thread of a fixed pool named
 * {@code "ParallelWrapper training thread <n>"}; worker {@code n} is the trainer DL4J names
 * {@code <wrapper UUID>_thread_<n>} (the worker ID of its {@code StatsListener} clone). This is read from the thread
 * name, so dl4j-debug-core needs no dependency on deeplearning4j-parallel-wrapper. Thread safe.
 */
public final class Workers {

    /** The worker ID outside ParallelWrapper. */
    public static final String NONE = "";

    /** Prefix of the names of ParallelWrapper's training threads (ParallelWrapper.init(), M2.1). */
    static final String THREAD_PREFIX = "ParallelWrapper training thread ";

    private static final ThreadLocal<String> CURRENT = ThreadLocal.withInitial(() -> of(Thread.currentThread()));

    private Workers() {
    }

    /**
     * @return the ID of the ParallelWrapper worker running on the current thread ({@code "worker-<n>"}), or
     *         {@link #NONE} when the current thread is not one of ParallelWrapper's training threads
     */
    public static String current() {
        return CURRENT.get();
    }

    private static String of(Thread thread) {
        String name = thread.getName();
        if (name == null || !name.startsWith(THREAD_PREFIX)) {
            return NONE;
        }
        return "worker-" + name.substring(THREAD_PREFIX.length()).trim();
    }
}
