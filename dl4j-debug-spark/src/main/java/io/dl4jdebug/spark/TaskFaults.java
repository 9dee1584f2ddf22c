package io.dl4jdebug.spark;

import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver's record of what went wrong across processes while a session was attached: every task attempt that
 * failed (an executor lost mid-task, an exception), every task that succeeded only on a later attempt, and every
 * executor the driver removed. Spark discards a failed attempt's result, so the records a lost attempt made on its
 * executor never reach the driver; the repeated attempt's records come instead, under its own worker ID. Registered
 * on the Spark context by {@link SparkDebug#attach}; Spark delivers the events on its listener bus, shortly after
 * they happen. It sees every job of the context, not only the training's. Thread safe.
 */
final class TaskFaults extends SparkListener {

    private final List<SparkRunReport.TaskAttempt> failed = new ArrayList<>();
    private final List<SparkRunReport.TaskAttempt> repeated = new ArrayList<>();
    private final List<SparkRunReport.LostExecutor> lost = new ArrayList<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskInfo info = end.taskInfo();
        if (info == null) {
            return;
        }
        if (end.reason() instanceof TaskFailedReason reason) {
            add(failed, new SparkRunReport.TaskAttempt(end.stageId(), info.index(), info.attemptNumber(), info.executorId(),
                    info.host(), firstLine(reason.toErrorString())));
        } else if (info.successful() && info.attemptNumber() > 0) {
            add(repeated, new SparkRunReport.TaskAttempt(end.stageId(), info.index(), info.attemptNumber(), info.executorId(),
                    info.host(), "succeeded"));
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        String reason = firstLine(String.valueOf(removed.reason()));
        synchronized (this) {
            // the driver can remove one executor twice (its RPC connection dropped, then its worker reported the
            // exit code): one entry, both reasons
            for (int i = 0; i < lost.size(); i++) {
                SparkRunReport.LostExecutor e = lost.get(i);
                if (e.executor().equals(removed.executorId())) {
                    if (!e.reason().contains(reason)) {
                        lost.set(i, new SparkRunReport.LostExecutor(e.executor(), e.reason() + "; " + reason));
                    }
                    return;
                }
            }
            lost.add(new SparkRunReport.LostExecutor(removed.executorId(), reason));
        }
    }

    private synchronized void add(List<SparkRunReport.TaskAttempt> list, SparkRunReport.TaskAttempt attempt) {
        list.add(attempt);
    }

    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    /** @return the failed task attempts, in the order Spark reported them */
    synchronized List<SparkRunReport.TaskAttempt> failed() {
        return List.copyOf(failed);
    }

    /** @return the tasks that succeeded on a later attempt (attempt >= 1) */
    synchronized List<SparkRunReport.TaskAttempt> repeated() {
        return List.copyOf(repeated);
    }

    /** @return the executors the driver removed */
    synchronized List<SparkRunReport.LostExecutor> lostExecutors() {
        return List.copyOf(lost);
    }
}
