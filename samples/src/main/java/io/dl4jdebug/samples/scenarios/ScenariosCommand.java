package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.MissingDataException;
import io.dl4jdebug.cli.BackendGate;
import io.dl4jdebug.samples.gallery.GalleryData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./dl4j-debug scenarios}: runs the labelled scenario set (or some of it), reads each diagnosis with
 * {@link ScenarioSet#reading()}, and prints the per-scenario table and the score card.
 */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = {"The labelled scenario set: training bugs with a known root cause and healthy networks, each "
                + "diagnosed like 'diagnose' does; prints whether the root cause comes first, and the score card.",
                "  scenarios                       every scenario at seeds 1, 2, 3",
                "  scenarios --only NAME,NAME      some of them",
                "  scenarios --seeds 7             at other seeds",
                "  scenarios --twins               each bug and its healthy twin in plain DL4J: does the bug harm?",
                "  scenarios --list                the scenarios and their labels",
                "  scenarios --set held-out        the held-out set (bugs written blind, for a final score)",
                "  scenarios --set held-out-2      the second held-out set (written blind after the first was seen)"})
public final class ScenariosCommand implements Callable<Integer> {

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these scenarios.")
    private List<String> only = new ArrayList<>();

    @Option(names = "--set", paramLabel = "SET", description = "The scenario set: labelled (default), held-out or"
            + " held-out-2.")
    private String set = "labelled";

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

    @Option(names = "--seeds", split = ",", paramLabel = "N", description = "Seeds of the networks, the data sample"
            + " and the generated images (default: 1,2,3)")
    private List<Long> seeds = new ArrayList<>(ScenarioSet.SEEDS);

    @Option(names = "--twins", description = "Instead of diagnosing: train each bug (with a healthy twin) and its twin"
            + " in plain DL4J and print the final training loss and held-out accuracy of both; the chosen healthy"
            + " networks' too.")
    private boolean twins;

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
        List<LabelledScenario> pool;
        try {
            pool = ScenarioSet.named(set);
        } catch (IllegalArgumentException e) {
            err.println("scenarios: " + e.getMessage());
            return 2;
        }
        if (list) {
            for (LabelledScenario s : pool) {
                RootCause l = s.label();
                out.printf(Locale.ROOT, "  %-34s %-5s %-36s %-24s %-8s %s%n", s.name(), s.family(), l,
                        l.settingsText(), l.isHealthy() ? "" : l.detection().shortName(), s.description());
            }
            return 0;
        }
        List<LabelledScenario> chosen;
        try {
            chosen = only.isEmpty() ? pool : ScenarioSet.byNames(pool, only);
        } catch (IllegalArgumentException e) {
            err.println("scenarios: " + e.getMessage());
            return 2;
        }
        if (seeds.isEmpty()) {
            err.println("scenarios: --seeds needs at least one seed, e.g. --seeds 1,2,3");
            return 2;
        }
        if (!BackendGate.check("scenarios", err)) {
            return 1;
        }
        try {
            GalleryData probe = GalleryData.sampled(dataDir, seeds.get(0));
            probe.train(1);
            probe.test(1);
        } catch (MissingDataException e) {
            err.println("scenarios: " + e.getMessage());
            return 2;
        }
        return twins ? measureTwins(chosen) : diagnose(chosen);
    }

    private int diagnose(List<LabelledScenario> chosen) {
        DiagnosisReading reading = ScenarioSet.reading();
        List<ScenarioReport> reports = new ArrayList<>();
        List<ScenarioReport> before = new ArrayList<>();
        double verifySeconds = 0;
        List<String> notProvoked = new ArrayList<>();
        long start = System.nanoTime();
        for (long seed : seeds) {
            ScenarioData data = new ScenarioData(GalleryData.sampled(dataDir, seed), workDir);
            for (LabelledScenario s : chosen) {
                ScenarioRun run = ScenarioRunner.run(s, data);
                reports.add(ScenarioReport.of(run, reading, seed));
                before.add(ScenarioReport.of(run, ScenarioSet.baseline(), seed));
                verifySeconds += run.verifySeconds();
                if (!s.label().isHealthy() && !run.reported(s.label().symptom())) {
                    notProvoked.add(s.name() + "@" + seed);
                }
                err.printf(Locale.ROOT, "  seed %d %-34s %5.1f s (+ %.1f s verifying fixes)%n", seed, s.name(),
                        run.seconds(), run.verifySeconds());
            }
        }
        SetCard card = new SetCard(reports);
        out.println();
        out.println("== Scenarios, read with " + reading.getClass().getSimpleName() + " (per seed: rank of the root"
                + " cause, F = the first fix changes the label's setting, / loud lines; healthy: ok or !loud lines)");
        out.print(card.table());
        if (lines) {
            printLines(reports);
        }
        out.println();
        out.println("== Score card");
        out.print(card.card());
        int bugRuns = (int) reports.stream().filter(r -> !r.label().isHealthy()).count();
        out.printf(Locale.ROOT, "label found in any finding:  %d/%d%s%n", bugRuns - notProvoked.size(), bugRuns,
                notProvoked.isEmpty() ? "" : " (not: " + String.join(", ", notProvoked) + ")");
        out.printf(Locale.ROOT, "total time:                  %.1f s (of which verifying fixes on copies: %.1f s)%n",
                (System.nanoTime() - start) / 1e9, verifySeconds);
        out.println();
        out.println("== For comparison: the raw findings in FindingOrder (version 1's reading)");
        out.print(new SetCard(before).card());
        return 0;
    }

    private int measureTwins(List<LabelledScenario> chosen) {
        List<LabelledScenario> withTwins = chosen.stream().filter(s -> s instanceof BuiltScenario b
                && b.twinBuilder() != null).toList();
        if (withTwins.isEmpty() && chosen.stream().noneMatch(s -> s.label().isHealthy())) {
            err.println("scenarios: none of the chosen scenarios has a healthy twin or is healthy");
            return 2;
        }
        out.println(TwinMeasurement.header());
        List<String> harmless = new ArrayList<>();
        // one ScenarioData per seed: it reads the examples once and hands out fresh copies
        Map<Long, ScenarioData> data = new HashMap<>();
        for (LabelledScenario s : withTwins) {
            for (long seed : seeds) {
                TwinMeasurement.Result r = TwinMeasurement.measure(s, data.computeIfAbsent(seed,
                        k -> new ScenarioData(GalleryData.sampled(dataDir, k), workDir)));
                out.println(r.row());
                out.flush();
                if (!r.harms()) {
                    harmless.add(s.name() + "@" + seed);
                }
            }
        }
        out.println();
        out.println(harmless.isEmpty() ? "every bug harms training at every seed"
                : "does not clearly harm training: " + String.join(", ", harmless));
        List<LabelledScenario> healthy = chosen.stream().filter(s -> s.label().isHealthy()).toList();
        if (!healthy.isEmpty()) {
            out.println();
            out.println("| healthy network | seed | loss | accuracy |");
            out.println("|---|---|---|---|");
            for (LabelledScenario s : healthy) {
                for (long seed : seeds) {
                    double[] r = TwinMeasurement.train(s.setup(data.computeIfAbsent(seed,
                            k -> new ScenarioData(GalleryData.sampled(dataDir, k), workDir))));
                    out.printf(Locale.ROOT, "| `%s` | %d | %.3f | %.3f |%n", s.name(), seed, r[0], r[1]);
                    out.flush();
                }
            }
        }
        return 0;
    }

    private void printLines(List<ScenarioReport> reports) {
        for (ScenarioReport r : reports) {
            out.println();
            out.println("-- " + r.name() + " seed " + r.seed() + " (label " + r.label() + ", fix "
                    + r.label().settingsText() + ")");
            for (int i = 0; i < r.entries().size(); i++) {
                LoudEntry e = r.entries().get(i);
                out.printf(Locale.ROOT, "   %2d. %-5s %-26s %-24s fix: %s%n", i + 1, e.severity(), e.symptom(),
                        String.join(", ", e.layers()), e.setting().map(Enum::name).orElse("-"));
            }
        }
    }
}
