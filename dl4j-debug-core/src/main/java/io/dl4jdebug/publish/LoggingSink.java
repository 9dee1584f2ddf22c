package io.dl4jdebug.publish;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.NonFiniteEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each finding as one concise line through SLF4J (logger {@code io.dl4jdebug.findings}) at the finding's
 * severity, with the first suggested fix; snapshots are not logged, so the log grows with problems, not with
 * iterations. Thread safe.
 */
public final class LoggingSink implements DebugSink {

    private static final Logger LOG = LoggerFactory.getLogger("io.dl4jdebug.findings");

    @Override
    public void onFinding(Finding f) {
        String line = format(f);
        switch (f.severity()) {
            case ERROR -> LOG.error(line);
            case WARN -> LOG.warn(line);
            default -> LOG.info(line);
        }
    }

    @Override
    public void onNonFinite(NonFiniteEvent event) {
        // The detector also reports a NON_FINITE finding; this line only adds the raw location.
        LOG.debug("{}", event.describe());
    }

    /**
     * @param f a finding
     * @return "[LEVEL] SYMPTOM at layer/param from iteration N: message. Fix: first suggestion" (with "on worker-N"
     *         after the location under ParallelWrapper)
     */
    public static String format(Finding f) {
        StringBuilder sb = new StringBuilder();
        sb.append('[').append(f.level()).append("] ").append(f.symptom());
        f.location().ifPresent(l -> sb.append(" at ").append(l));
        f.workerId().ifPresent(w -> sb.append(" on ").append(w));
        sb.append(" from iteration ").append(f.firstIteration()).append(": ").append(f.message());
        if (!f.suggestions().isEmpty()) {
            sb.append(". Fix: ").append(f.suggestions().get(0));
        }
        return sb.toString();
    }
}
