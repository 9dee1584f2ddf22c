package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.MissingDataException;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.cli.FindingsText;
import io.dl4jdebug.cli.BackendGate;
import io.dl4jdebug.cli.ui.UiOptions;
import io.dl4jdebug.cli.ui.UiSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * {@code ./dl4j-debug gallery}: runs one sample of the bug gallery (or all), prints the diagnosis (incidents, root
 * cause first, fixes tried on copies), and with {@code --fixed} runs the fixed setup too and shows the difference.
 */
@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = {"The bug gallery: one Fashion-MNIST training failure per sample, diagnosed by dl4j-debug "
                + "(quick checklist + monitored training), incidents root cause first with the fix, tried on a copy.",
                "  gallery --list            the samples",
                "  gallery NAME              the buggy run and its diagnosis",
                "  gallery NAME --fixed      the buggy run, the fixed run, and the difference",
                "  gallery --all [--fixed]   every sample, with a summary table"})
public final class GalleryCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The sample to run (see --list).")
    private String name;

    @Option(names = "--list", description = "List the samples, one line each.")
    private boolean list;

    @Option(names = "--all", description = "Run every sample.")
    private boolean all;

    @Option(names = "--fixed", description = "Also run the fixed setup and show the difference.")
    private boolean fixed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory of the Fashion-MNIST IDX files "
            + "(default: ${DEFAULT-VALUE})")
    private Path dataDir = FashionMnist.defaultDirectory();

    @Option(names = "--seed", description = "Seed of the networks (default: ${DEFAULT-VALUE})")
    private long seed = GalleryData.DEFAULT_SEED;

    @Option(names = "--verbose", description = "Also print notes (INFO incidents) and dismissed findings.")
    private boolean verbose;

    @CommandLine.Mixin
    private UiOptions uiOptions = new UiOptions();

    private final PrintStream out;
    private final PrintStream err;

    /** Prints to System.out and System.err. */
    public GalleryCommand() {
        this(System.out, System.err);
    }

    /**
     * @param out where results go
     * @param err where errors go
     */
    public GalleryCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (list) {
            printList(out);
            return 0;
        }
        List<GallerySample> samples = new ArrayList<>();
        if (all) {
            samples.addAll(Gallery.all());
        } else if (name == null) {
            err.println("gallery: name a sample (" + Gallery.names() + "), or use --list or --all");
            return 2;
        } else {
            GallerySample sample = Gallery.byName(name).orElse(null);
            if (sample == null) {
                err.println("gallery: no sample named '" + name + "'; the samples are: " + Gallery.names());
                return 2;
            }
            samples.add(sample);
        }
        if (!BackendGate.check("gallery", err)) {
            return 1;
        }
        GalleryData data = new GalleryData(dataDir, seed);
        try {
            data.train(1);
            data.test(1);
        } catch (MissingDataException e) {
            err.println("gallery: " + e.getMessage());
            return 2;
        }
        UiSession ui;
        try {
            ui = UiSession.start(uiOptions, out);
        } catch (IllegalArgumentException e) {
            err.println("gallery: " + e.getMessage());
            return 2;
        }
        try (ui) {
            List<String[]> summary = new ArrayList<>();
            for (GallerySample sample : samples) {
                summary.add(runSample(sample, data, ui, out));
            }
            if (samples.size() > 1) {
                printSummary(summary, out);
            }
            out.flush();
            ui.awaitAfterTraining();
        }
        return 0;
    }

    private String[] runSample(GallerySample sample, GalleryData data, UiSession ui, PrintStream out) {
        out.println();
        out.println("== Bug gallery: " + sample.name());
        out.println("   " + sample.description());
        out.println("   expected root cause (first incident): " + sample.expectedSymptom());
        Outcome buggy = runOne("Buggy run", sample.buggy(data), ui.newRun(sample.name() + "-buggy", 1), out);
        boolean asExpected = sample.expectedSymptom() == buggy.topSymptom();
        out.println(asExpected ? "   => the root cause found first is " + sample.expectedSymptom() + ", as expected."
                : "   => expected " + sample.expectedSymptom() + " first, but the root cause found first is "
                + buggy.topSymptom() + ".");
        out.println("   The fix: " + sample.fix());
        if (!fixed) {
            out.println("   Apply it: ./dl4j-debug gallery " + sample.name() + " --fixed");
            return new String[] {sample.name(), String.valueOf(buggy.topSymptom()), asExpected ? "yes" : "NO", "-",
                    "-"};
        }
        Outcome repaired = runOne("Fixed run", sample.fixed(data), ui.newRun(sample.name() + "-fixed", 1), out);
        printDifference(sample, buggy, repaired, out);
        boolean gone = !repaired.has(sample.expectedSymptom());
        return new String[] {sample.name(), String.valueOf(buggy.topSymptom()), asExpected ? "yes" : "NO",
                repaired.topSymptom() == null ? "none" : repaired.topSymptom().name(), gone ? "yes" : "NO"};
    }

    private Outcome runOne(String title, Scenario scenario, UiSession.Run run, PrintStream out) {
        out.printf(Locale.ROOT, "%n-- %s: %d training examples%s, batch %d, %d epoch%s%n", title,
                scenario.train().numExamples(), scenario.validation() == null ? ""
                        : " (" + scenario.validation().numExamples() + " validation)", scenario.batch(),
                scenario.epochs(), scenario.epochs() == 1 ? "" : "s");
        run.sessionId().ifPresent(id -> out.println("   UI session: " + id));
        Outcome o = GalleryRunner.run(scenario, run, System.console() != null ? out : null);
        long problems = o.checklist().items().stream().filter(i -> i.status().isProblem()).count();
        out.printf(Locale.ROOT, "   quick checklist: %d items, %d with problems%s%n", o.checklist().items().size(),
                problems, problems == 0 ? "" : ":");
        for (ChecklistItem item : o.checklist().items()) {
            if (item.status().isProblem()) {
                out.printf(Locale.ROOT, "     %-4s %-27s %s%n", item.status(), item.id(), item.message());
            }
        }
        out.printf(Locale.ROOT, "   trained %d iterations in %.1f s%s; loss %s -> %s%s%n", o.iterations(),
                o.seconds(), o.stoppedNonFinite() ? ", stopped at the first NaN/Inf (policy STOP)" : "",
                FindingsText.number(o.firstLoss()), number(o.finalTrainLoss()), o.finalValidationLoss().isPresent()
                        ? " (validation " + number(o.finalValidationLoss()) + ")" : "");
        out.printf(Locale.ROOT, "   diagnosis: %d incident%s (%d findings)%n", o.diagnosis().loud().size(),
                o.diagnosis().loud().size() == 1 ? "" : "s", o.findings().size());
        FindingsText.print(o.diagnosis(), 2, verbose, "   ", out);
        return o;
    }

    private static void printDifference(GallerySample sample, Outcome buggy, Outcome repaired, PrintStream out) {
        out.println();
        out.println("-- Difference (" + sample.fix() + ")");
        String row = "   %-28s %-24s %s%n";
        out.printf(Locale.ROOT, row, "", "buggy", "fixed");
        out.printf(Locale.ROOT, row, "root cause (first incident)", symptom(buggy), symptom(repaired));
        out.printf(Locale.ROOT, row, sample.expectedSymptom() + " reported", buggy.has(sample.expectedSymptom())
                ? "yes" : "no", repaired.has(sample.expectedSymptom()) ? "yes" : "no");
        out.printf(Locale.ROOT, row, "incidents (findings)", count(buggy), count(repaired));
        out.printf(Locale.ROOT, row, "iterations trained", buggy.iterations(), repaired.iterations());
        out.printf(Locale.ROOT, row, "loss, first minibatch", FindingsText.number(buggy.firstLoss()), FindingsText.number(repaired.firstLoss()));
        out.printf(Locale.ROOT, row, "loss, last epoch", number(buggy.finalTrainLoss()),
                number(repaired.finalTrainLoss()));
        if (buggy.finalValidationLoss().isPresent() || repaired.finalValidationLoss().isPresent()) {
            out.printf(Locale.ROOT, row, "validation loss, last epoch", number(buggy.finalValidationLoss()),
                    number(repaired.finalValidationLoss()));
        }
    }

    private static void printList(PrintStream out) {
        out.println("Bug gallery samples (./dl4j-debug gallery NAME [--fixed]):");
        for (GallerySample s : Gallery.all()) {
            out.printf(Locale.ROOT, "  %-18s %-22s %s%n", s.name(), s.expectedSymptom(), s.description());
        }
    }

    private void printSummary(List<String[]> rows, PrintStream out) {
        out.println();
        out.println("== Summary");
        String row = "   %-18s %-24s %-9s %-22s %s%n";
        out.printf(Locale.ROOT, row, "sample", "root cause (buggy)", "expected", fixed ? "root cause (fixed)" : "",
                fixed ? "symptom gone" : "");
        for (String[] r : rows) {
            out.printf(Locale.ROOT, row, r[0], r[1], r[2], fixed ? r[3] : "", fixed ? r[4] : "");
        }
    }

    private static String symptom(Outcome o) {
        return o.topSymptom() == null ? "none" : o.topSymptom().name();
    }

    private static String count(Outcome o) {
        return o.diagnosis().loud().size() + " (" + o.findings().size() + ")";
    }

    private static String number(OptionalDouble v) {
        return v.isPresent() ? FindingsText.number(v.getAsDouble()) : "-";
    }
}
