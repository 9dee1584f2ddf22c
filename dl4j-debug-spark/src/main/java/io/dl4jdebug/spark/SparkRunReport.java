package io.dl4jdebug.spark;

import io.dl4jdebug.publish.FailureTally;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What happened to a Spark run across processes, next to its diagnosis: the workers whose records reached the driver,
 * the averaging rounds the driver's loss curve holds, the task attempts that failed and the tasks Spark repeated,
 * the executors lost, and the failures of dl4j-debug's parts at the driver (a router that threw, counted). A failed
 * task attempt's records never reach the driver (Spark discards a failed attempt's result): the report says so for
 * each one, as that worker's records have a gap there. Immutable.
 *
 * @param workers    the workers whose records reached the driver
 * @param rounds     the averaging rounds on the driver's loss curve (one point each)
 * @param failed     the failed task attempts
 * @param repeated   the tasks that succeeded on a later attempt
 * @param lost       the executors the driver removed
 * @param failures   dl4j-debug's failures at the driver (router, sinks), each counted
 */
public record SparkRunReport(SortedSet<String> workers, int rounds, List<TaskAttempt> failed,
                             List<TaskAttempt> repeated, List<LostExecutor> lost,
                             List<FailureTally.Failure> failures) {

    /**
     * One task attempt.
     *
     * @param stage     the Spark stage
     * @param partition the task's partition (index in its stage)
     * @param attempt   the attempt number (0 for the first)
     * @param executor  the executor it ran on
     * @param host      that executor's host
     * @param reason    why it failed; "succeeded" for a repeated attempt that succeeded
     */
    public record TaskAttempt(int stage, int partition, int attempt, String executor, String host, String reason) {

        /** Validates the fields. */
        public TaskAttempt {
            Objects.requireNonNull(executor, "executor must not be null");
            Objects.requireNonNull(host, "host must not be null");
            Objects.requireNonNull(reason, "reason must not be null");
        }

        /** @return e.g. "stage 3, partition 1, attempt 0 on executor 0 (127.0.0.1)" */
        public String where() {
            return "stage " + stage + ", partition " + partition + ", attempt " + attempt + " on executor "
                    + executor + " (" + host + ")";
        }
    }

    /**
     * An executor the driver removed.
     *
     * @param executor its ID
     * @param reason   Spark's reason
     */
    public record LostExecutor(String executor, String reason) {

        /** Validates the fields. */
        public LostExecutor {
            Objects.requireNonNull(executor, "executor must not be null");
            Objects.requireNonNull(reason, "reason must not be null");
        }
    }

    /** Validates and copies the fields. */
    public SparkRunReport {
        workers = new TreeSet<>(Objects.requireNonNull(workers, "workers must not be null"));
        failed = List.copyOf(Objects.requireNonNull(failed, "failed must not be null"));
        repeated = List.copyOf(Objects.requireNonNull(repeated, "repeated must not be null"));
        lost = List.copyOf(Objects.requireNonNull(lost, "lost must not be null"));
        failures = List.copyOf(Objects.requireNonNull(failures, "failures must not be null"));
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0 but was " + rounds);
        }
    }

    /** @return true when a task was repeated or failed, or an executor was lost */
    public boolean tasksRepeated() {
        return !failed.isEmpty() || !repeated.isEmpty();
    }

    /** @return the report as lines of text, one fact each */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(workers.size() + " worker" + (workers.size() == 1 ? "" : "s") + " reported: "
                + String.join(", ", workers) + "; " + rounds + " averaging round" + (rounds == 1 ? "" : "s")
                + " on the driver's loss curve");
        for (LostExecutor e : lost) {
            lines.add("executor " + e.executor() + " lost: " + e.reason());
        }
        for (TaskAttempt a : failed) {
            lines.add("task failed (" + a.where() + "): " + a.reason() + "; Spark repeated it, and the failed "
                    + "attempt's records never reached the driver (its worker has no records of that attempt; the "
                    + "repeated attempt's come under its own worker ID)");
        }
        for (TaskAttempt a : repeated) {
            lines.add("task repeated (" + a.where() + ") and succeeded");
        }
        for (FailureTally.Failure f : failures) {
            lines.add(f.describe());
        }
        if (!tasksRepeated() && lost.isEmpty()) {
            lines.add("no task failed or was repeated");
        }
        return List.copyOf(lines);
    }
}
