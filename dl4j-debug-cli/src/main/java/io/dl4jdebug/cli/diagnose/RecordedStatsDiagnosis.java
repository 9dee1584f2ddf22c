package io.dl4jdebug.cli.diagnose;

import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.cli.FindingsText;
import io.dl4jdebug.cli.ui.UiOptions;
import io.dl4jdebug.ui.DebugModule;
import io.dl4jdebug.ui.OpenStatsFile;
import io.dl4jdebug.ui.recorded.RecordedCheck;
import io.dl4jdebug.ui.recorded.RecordedDiagnosis;
import io.dl4jdebug.ui.recorded.RecordedReportJson;
import io.dl4jdebug.ui.recorded.RecordedRun;
import io.dl4jdebug.ui.recorded.RecordedRunException;
import org.deeplearning4j.ui.api.UIServer;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code diagnose --stats FILE}: the diagnosis of a run recorded by DL4J's {@code StatsListener} alone into a
 * {@code FileStatsStorage} ({@link RecordedDiagnosis}): what was read, the checks the stored statistics support and
 * those they do not, the incidents root cause first, what needs dl4j-debug attached during training, the JSON report,
 * and with {@code --ui} the file opened in DL4J's UI with the Debug page showing the same diagnosis. Nothing is
 * trained; the file is only read. Not thread safe.
 */
final class RecordedStatsDiagnosis {

    private final PrintStream out;
    private final boolean verbose;

    /**
     * @param out     where results go
     * @param verbose whether to print every finding and the dismissed ones
     */
    RecordedStatsDiagnosis(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    /**
     * @param file   the FileStatsStorage file
     * @param report where to write the JSON report
     * @param ui     the UI options (--ui, --ui-port, --ui-seconds)
     * @return the exit code: {@link DiagnoseCommand#OK} or {@link DiagnoseCommand#ERRORS_FOUND}
     * @throws UserInputException when the file holds no StatsListener recording (exit code 2)
     * @throws InterruptedException when interrupted while the UI serves
     */
    int run(Path file, Path report, UiOptions ui) throws InterruptedException {
        RecordedDiagnosis d;
        try {
            d = RecordedDiagnosis.of(file);
        } catch (RecordedRunException e) {
            throw new UserInputException("--stats " + e.getMessage(), e);
        }
        RecordedRun run = d.run();
        out.println("dl4j-debug diagnose --stats (a run recorded by DL4J's StatsListener; nothing is trained)");
        out.printf(Locale.ROOT, "  file:  %s: session %s, worker %s, %d StatsListener reports, one every %d "
                        + "iterations, up to iteration %d%n", file, run.sessionId(), run.workerId(),
                run.reports().size(), run.reportingFrequency(), run.lastIteration());
        if (!run.otherSessions().isEmpty()) {
            out.println("  note:  the file holds " + run.otherSessions().size() + " other StatsListener session(s), "
                    + "not read: " + String.join(", ", run.otherSessions()) + " (the newest is diagnosed)");
        }
        if (!run.otherWorkers().isEmpty()) {
            out.println("  note:  the session has " + run.otherWorkers().size() + " other StatsListener worker(s) "
                    + "(ParallelWrapper replicas), not read: " + String.join(", ", run.otherWorkers()));
        }
        if (run.layers().isEmpty()) {
            out.println("  model: " + (run.modelClass().isEmpty() ? "unknown" : run.modelClass()) + "; "
                    + run.modelNote());
        } else {
            out.printf(Locale.ROOT, "  model: %s, %d layers (%s), rebuilt from the configuration StatsListener "
                            + "stored%n", simpleName(run.modelClass()), run.layers().size(),
                    run.layers().stream().map(l -> l.name()).collect(Collectors.joining(", ")));
        }
        out.printf(Locale.ROOT, "  loss:  %s at iteration %d -> %s at iteration %d%n",
                FindingsText.number(run.reports().get(0).score()), run.reports().get(0).iteration(),
                FindingsText.number(run.reports().get(run.reports().size() - 1).score()), run.lastIteration());

        out.println();
        out.println("-- Checks on the stored statistics");
        for (RecordedCheck c : d.checks()) {
            out.printf(Locale.ROOT, "  %-8s %s%n", c.ran() ? "ran" : "cannot", c.name());
            if (verbose || !c.ran()) {
                out.printf(Locale.ROOT, "           %s%n", c.detail());
            }
        }

        out.println();
        out.printf(Locale.ROOT, "-- Diagnosis: %d incident%s from %d findings, root cause first (fixes not tried: a "
                        + "stats file holds no data)%n", d.diagnosis().loud().size(),
                d.diagnosis().loud().size() == 1 ? "" : "s", d.findings().size());
        FindingsText.print(d.diagnosis(), verbose ? 5 : 2, verbose, "  ", out);
        if (verbose && !d.findings().isEmpty()) {
            out.println();
            out.println("-- Raw findings");
            d.findings().forEach(f -> out.println("  " + FindingsText.headline(f)));
        }

        out.println();
        out.println("-- Needs dl4j-debug attached during training (not in a StatsListener recording)");
        for (String n : RecordedDiagnosis.NEEDS_DL4J_DEBUG) {
            out.println("  - " + n);
        }

        try {
            RecordedReportJson.write(report, d);
        } catch (UncheckedIOException e) {
            throw new UserInputException("could not write --report " + report + ": " + e.getMessage(), e);
        }
        List<Incident> loud = d.diagnosis().loud();
        long errors = loud.stream().filter(i -> i.severity() == Severity.ERROR).count();
        long warnings = loud.size() - errors;
        int code = errors > 0 ? DiagnoseCommand.ERRORS_FOUND : DiagnoseCommand.OK;
        out.println();
        out.println("Report: " + report.toAbsolutePath());
        out.printf(Locale.ROOT, "Result: %d error incident%s, %d warning incident%s -> exit code %d%n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", code);
        if (ui.ui()) {
            serve(file, ui);
        }
        return code;
    }

    private void serve(Path file, UiOptions ui) throws InterruptedException {
        UIServer server;
        try {
            server = OpenStatsFile.open(file.toFile(), ui.port());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        String url = "http://localhost:" + server.getPort() + DebugModule.PAGE_PATH;
        if (ui.seconds() != null) {
            out.printf(Locale.ROOT, "Debug page: %s (serving for %d seconds)%n", url, ui.seconds());
            out.flush();
            Thread.sleep(ui.seconds() * 1000L);
            try {
                UIServer.stopInstance();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // the diagnosis is printed and the report written; a server that does not stop cleanly loses nothing
                out.println("note: the UI server did not stop cleanly: " + e.getMessage());
            }
        } else {
            out.println("Debug page: " + url + " (DL4J's pages at http://localhost:" + server.getPort()
                    + "/train). Ctrl+C stops.");
            out.flush();
            Thread.currentThread().join();
        }
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }
}
