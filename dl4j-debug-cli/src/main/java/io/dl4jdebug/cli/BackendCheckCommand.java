package io.dl4jdebug.cli;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.preflight.QuickChecklist;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./dl4j-debug check-backend}: runs the quick checklist's {@code env.backend} item alone (no network is
 * built) and prints it; on an unusable backend (e.g. a GPU the ND4J build has no code for) the
 * {@code BACKEND_MISMATCH} finding with its fixes, and exit code 1. Used by {@code scripts/gpu-check.sh}. Stateless.
 */
@Command(name = "check-backend", mixinStandardHelpOptions = true,
        description = {"Checks the ND4J backend alone (the quick checklist's env.backend item: backend, GPU compute "
                + "capability, a tiny kernel probe) and prints the result; exit 0 when training can run, 1 when "
                + "not (BACKEND_MISMATCH)."})
public final class BackendCheckCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("ND4J backend: " + Nd4j.getBackend().getClass().getSimpleName());
        ChecklistReport report = QuickChecklist.withDefaults().checkBackend();
        System.out.print(report.toText());
        Optional<Finding> error = report.findings().stream().filter(f -> f.severity() == Severity.ERROR)
                .findFirst();
        if (error.isEmpty()) {
            System.out.println("check-backend: OK: training can run on this backend");
            return 0;
        }
        Finding f = error.get();
        System.out.println("check-backend: " + f.symptom() + ": " + f.message());
        for (String fix : f.suggestions()) {
            System.out.println("  fix: " + fix);
        }
        return 1;
    }
}
