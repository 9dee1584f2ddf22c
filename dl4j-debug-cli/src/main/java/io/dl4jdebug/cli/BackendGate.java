package io.dl4jdebug.cli;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.preflight.QuickChecklist;

import java.io.PrintStream;
import java.util.Optional;

/**
 * The checklist's {@code env.backend} item, run by the commands before they build a network: {@code net.init()}
 * already runs ND4J kernels, so on a GPU the build has no code for (Hopper with nd4j-cuda-11.6) it would fail with
 * a native error before the checklist could explain it. Stateless.
 */
public final class BackendGate {

    private BackendGate() {
    }

    /**
     * Checks the backend and, when it is unusable, prints the finding and its fixes.
     *
     * @param command the command's name, printed in front of the message
     * @param err     where the problem is printed
     * @return true when training can go ahead
     */
    public static boolean check(String command, PrintStream err) {
        ChecklistReport report = QuickChecklist.withDefaults().checkBackend();
        Optional<Finding> error = report.findings().stream().filter(f -> f.severity() == Severity.ERROR)
                .findFirst();
        if (error.isEmpty()) {
            return true;
        }
        Finding f = error.get();
        err.println(command + ": " + f.symptom() + ": " + f.message());
        for (String fix : f.suggestions()) {
            err.println("  fix: " + fix);
        }
        return false;
    }
}
