package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.MissingDataException;
import io.dl4jdebug.samples.BackendGate;
import io.dl4jdebug.samples.gallery.GalleryData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./dl4j-debug scenarios}: runs the labelled scenario set (or some of it), reads each diagnosis with
 * {@link ScenarioSet#reading()}, and prints the per-scenario table and the score card.
 */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = {"The labelled scenario set: training bugs with a known root cause and healthy networks, each "
                + "diagnosed like 'diagnose' does; prints whether the root cause comes first, and the score card.",
                "  scenarios                       every scenario",
                "  scenarios --only NAME,NAME      some of them",
                "  scenarios --list                the scenarios and their labels"})
public final class ScenariosCommand implements Callable<Integer> {

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these scenarios.")
    private List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "List the scenarios and their labels.")
    private boolean list;

    @Option(names = "--lines", description = "Also print every scenario's loud lines.")
    private boolean lines;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory of the Fashion-MNIST IDX files "
            + "(default: ${DEFAULT-VALUE})")
    private Path dataDir = FashionMnist.defaultDirectory();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the CIFAR-layout images are generated "
            + "(default: ${DEFAULT-VALUE})")
    private Path workDir = Paths.get(System.getProperty("java.io.tmpdir"), "dl4j-debug-scenarios");

    @Option(names = "--seed", description = "Seed of the networks and generated images (default: ${DEFAULT-VALUE})")
    private long seed = GalleryData.DEFAULT_SEED;

    private final PrintStream out;
    private final PrintStream err;

    /** Prints to System.out and System.err. */
    public ScenariosCommand() {
        this(System.out, System.err);
    }

    /**
     * @param out where results go
     * @param err where errors go
     */
    public ScenariosCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (list) {
            for (LabelledScenario s : ScenarioSet.all()) {
                out.printf(Locale.ROOT, "  %-26s %-36s %s%n", s.name(), s.label(), s.description());
            }
            return 0;
        }
        List<LabelledScenario> chosen;
        try {
            chosen = only.isEmpty() ? ScenarioSet.all() : ScenarioSet.byNames(only);
        } catch (IllegalArgumentException e) {
            err.println("scenarios: " + e.getMessage());
            return 2;
        }
        if (!BackendGate.check("scenarios", err)) {
            return 1;
        }
        GalleryData fashion = new GalleryData(dataDir, seed);
        try {
            fashion.train(1);
            fashion.test(1);
        } catch (MissingDataException e) {
            err.println("scenarios: " + e.getMessage());
            return 2;
        }
        ScenarioData data = new ScenarioData(fashion, workDir);
        DiagnosisReading reading = ScenarioSet.reading();
        List<ScenarioReport> reports = new ArrayList<>();
        List<ScenarioReport> before = new ArrayList<>();
        double verifySeconds = 0;
        List<String> notProvoked = new ArrayList<>();
        long start = System.nanoTime();
        for (LabelledScenario s : chosen) {
            ScenarioRun run = ScenarioRunner.run(s, data);
            reports.add(ScenarioReport.of(run, reading));
            before.add(ScenarioReport.of(run, ScenarioSet.baseline()));
            verifySeconds += run.verifySeconds();
            if (!s.label().isHealthy() && !run.reported(s.label().symptom())) {
                notProvoked.add(s.name());
            }
            err.printf(Locale.ROOT, "  %-26s %5.1f s (+ %.1f s verifying fixes)%n", s.name(), run.seconds(),
                    run.verifySeconds());
        }
        ScoreCard card = ScoreCard.of(reports);
        out.println();
        out.println("== Scenarios, read with " + reading.getClass().getSimpleName());
        out.print(card.table());
        if (lines) {
            printLines(reports);
        }
        out.println();
        out.println("== Score card");
        out.print(card.summary());
        out.printf(Locale.ROOT, "label found in any finding:  %d/%d%s%n", card.bugs() - notProvoked.size(),
                card.bugs(), notProvoked.isEmpty() ? "" : " (not: " + String.join(", ", notProvoked) + ")");
        out.printf(Locale.ROOT, "total time:                  %.1f s (of which verifying fixes on copies: %.1f s)%n",
                (System.nanoTime() - start) / 1e9, verifySeconds);
        out.println();
        out.println("== For comparison: the raw findings in FindingOrder (version 1's reading)");
        out.print(ScoreCard.of(before).summary());
        return 0;
    }

    private void printLines(List<ScenarioReport> reports) {
        for (ScenarioReport r : reports) {
            out.println();
            out.println("-- " + r.name() + " (label " + r.label() + ")");
            for (int i = 0; i < r.entries().size(); i++) {
                LoudEntry e = r.entries().get(i);
                out.printf(Locale.ROOT, "   %2d. %-5s %-26s %s%n", i + 1, e.severity(), e.symptom(),
                        String.join(", ", e.layers()));
            }
        }
    }
}
