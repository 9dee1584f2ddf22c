package io.dl4jdebug.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link WorkerSuite}s of this JVM, one per training session: an executor keeps the suite of a session from one
 * averaging round to the next. The newest {@value #MAX_SESSIONS} sessions are kept (an executor cannot tell when a
 * session ends; in local mode the driver's {@code SparkDebugSession.close()} removes its own). Thread safe.
 */
final class WorkerSuites {

    /** Sessions kept per JVM. */
    static final int MAX_SESSIONS = 8;

    private static final Map<String, WorkerSuite> SUITES = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkerSuite> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    private WorkerSuites() {
    }

    /**
     * @param sessionId the session
     * @param spec      its configuration, used when this JVM has no suite for it yet
     * @return this JVM's suite of the session
     */
    static WorkerSuite of(String sessionId, WorkerSuiteSpec spec) {
        synchronized (SUITES) {
            return SUITES.computeIfAbsent(sessionId, id -> new WorkerSuite(id, spec));
        }
    }

    /**
     * Forgets a session's suite.
     *
     * @param sessionId the session
     */
    static void remove(String sessionId) {
        synchronized (SUITES) {
            SUITES.remove(sessionId);
        }
    }
}
