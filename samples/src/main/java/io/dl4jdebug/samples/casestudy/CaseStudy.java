package io.dl4jdebug.samples.casestudy;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.FindingOrder;
import io.dl4jdebug.DebugRun;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.preflight.MinimalExample;
import io.dl4jdebug.preflight.MinimalExampleReport;
import io.dl4jdebug.preflight.OverfitConfig;
import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.cli.FindingsText;
import io.dl4jdebug.cli.ProgressListener;
import io.dl4jdebug.samples.cifar.CifarResNet;
import io.dl4jdebug.cli.cifar.CifarSource;
import io.dl4jdebug.cli.ui.UiSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the case study: a CIFAR-style ResNet whose BatchNorm layers are all built with {@code .gamma(0.0)} (the
 * "zero-init residual gamma" trick applied to every BN) stalls at loss ln(10); the method finds it. For each network
 * (buggy, then fixed): the quick checklist, training with the whole suite attached (progress bar, per-epoch losses),
 * for the buggy one the minimal example and bisection, then the diagnosis (incidents, root cause first) with its
 * fixes tried on copies of the network. With an enabled
 * {@link UiSession} each network is recorded as its own session (DL4J's StatsListener and the Debug page's sink).
 * Not thread safe.
 */
public final class CaseStudy {

    private final CaseStudyConfig config;
    private final PrintStream out;
    private final UiSession ui;

    /**
     * A case study that records nothing for the UI.
     *
     * @param config size and inputs
     * @param out    where the story is printed
     */
    public CaseStudy(CaseStudyConfig config, PrintStream out) {
        this(config, out, UiSession.disabled());
    }

    /**
     * @param config size and inputs
     * @param out    where the story is printed
     * @param ui     where the runs are recorded for the DL4J UI and the Debug page (the caller closes it)
     */
    public CaseStudy(CaseStudyConfig config, PrintStream out, UiSession ui) {
        this.config = Objects.requireNonNull(config, "config");
        this.out = Objects.requireNonNull(out, "out");
        this.ui = Objects.requireNonNull(ui, "ui");
    }

    /** @return the prepared data source (announced on the output) */
    public CifarSource.Prepared prepareData() {
        CifarSource.Prepared source = CifarSource.prepare(config.dataDir(), config.workDir(), config.allowDownload(),
                config.trainSize() / 10 + 1, config.testSize() / 10 + 1, config.seed());
        out.printf("Data: CIFAR-10 through DL4J's Cifar10DataSetIterator from %s (%s)%n", source.base(),
                source.origin());
        if (source.synthetic()) {
            out.println("  !!! SYNTHETIC DATA: CIFAR-10 is not available on this machine (no --data-dir, no DL4J cache,"
                    + " no network).");
            out.println("  !!! The images are GENERATED in CIFAR-10's layout, with class-dependent colour and stripes;"
                    + " they are not CIFAR-10.");
        }
        return source;
    }

    /**
     * @return the results of the runs asked for, buggy first
     */
    public List<RunResult> run() {
        CifarSource.Prepared source = prepareData();
        DataSetIterator train = source.read(true, config.trainSize(), config.batch(), config.seed());
        DataSetIterator test = source.read(false, config.testSize(), config.batch(), config.seed());
        List<RunResult> results = new ArrayList<>();
        if (config.runBuggy()) {
            results.add(runOne("buggy", true, train, test));
        }
        if (config.runFixed()) {
            results.add(runOne("fixed", false, train, test));
        }
        if (results.size() == 2) {
            printSideBySide(results.get(0), results.get(1));
        }
        return results;
    }

    private RunResult runOne(String name, boolean bug, DataSetIterator train, DataSetIterator test) {
        out.printf("%n==== The %s ResNet %s%n", name, bug
                ? "(every BatchNormalization built with .gamma(0.0))" : "(BatchNormalization with default gamma 1.0)");
        ComputationGraph net = CifarResNet.build(config.widths(), config.blocksPerStage(), bug, config.seed());
        out.printf("%d parameters, %d layers and vertices%n", net.numParams(), net.getVertices().length);
        UiSession.Run recorded = ui.newRun("case-study-" + name);
        recorded.sessionId().ifPresent(id -> out.println("UI session: " + id));

        out.println("\n-- Step 1. Quick checklist (article 3.1), on copies of the network");
        Path report = reportFile(bug);
        recorded.attach(net);
        int batches = (config.trainSize() + config.batch() - 1) / config.batch();
        ProgressListener bar = new ProgressListener(out, name, config.epochs(), batches);
        List<Double> accuracy = new ArrayList<>();
        MinimalExampleReport[] minimal = new MinimalExampleReport[1];
        long[] started = {System.nanoTime()};
        String step = bug ? "Step 4" : "Step 3";
        DebugRun.Observer steps = new DebugRun.Observer() {
            @Override
            public void checklistDone(ChecklistReport checklist) {
                out.print(indent(checklist.toText()));
                out.printf("  (%.1f s)%n", seconds(started[0]));
                out.println("\n-- Step 2. Train with the monitors attached (gradients, activations, NaN/Inf, loss, "
                        + "rules)");
                started[0] = System.nanoTime();
            }

            @Override
            public void epochDone(int epoch) {
                test.reset();
                Evaluation eval = net.evaluate(test);
                accuracy.add(eval.accuracy());
            }

            @Override
            public void beforeDiagnosis(DebugSuite suite) {
                bar.finish();
                train.reset();
                test.reset();
                out.printf("  (%.1f s)%n", seconds(started[0]));
                List<EpochSnapshot> epochs = suite.recording().epochSnapshots();
                for (int e = 0; e < epochs.size(); e++) {
                    EpochSnapshot s = epochs.get(e);
                    out.printf("  epoch %d: train loss %.4f, test loss %.4f, test accuracy %.1f%% (ln(10) = %.4f)%n",
                            e + 1, s.trainLoss(), s.validationMeasured() ? s.validationLoss() : Double.NaN,
                            100 * accuracy.get(Math.min(e, accuracy.size() - 1)), Math.log(10));
                }
                if (bug) {
                    out.println("\n-- Step 3. Minimal example (article 3.2): can the network memorise 10 examples? "
                            + "Then bisection: add the blocks back one at a time");
                    started[0] = System.nanoTime();
                    minimal[0] = new MinimalExample(OverfitConfig.builder().maxSteps(config.overfitSteps()).build())
                            .run(net, train);
                    train.reset();
                    suite.publish(minimal[0].findings());
                    out.print(indent(minimal[0].toText()));
                    out.printf("  (%.1f s)%n", seconds(started[0]));
                }
                if (config.verifyIterations() > 0 && !suite.diagnosis().loud().isEmpty()) {
                    out.printf("%n-- %s. Diagnosis, and its fixes tried on copies of the network (%d iterations "
                            + "each, same data and seed)%n", step, config.verifyIterations());
                } else {
                    out.printf("%n-- %s. Diagnosis%n", step);
                }
                started[0] = System.nanoTime();
            }

            @Override
            public void verified(Diagnosis diagnosis, double seconds) {
                out.printf("  (verification %.1f s)%n", seconds);
            }
        };
        DebugRun.Result r = DebugRun.on(net).train(train).validation(test).trainEvaluation(train)
                .epochs(config.epochs()).listener(bar).observer(steps)
                .verify(config.verifyIterations() > 0 ? VerifyBudget.ofIterations(config.verifyIterations()) : null)
                .suite(b -> {
                    recorded.sink().ifPresent(b::sink);
                    return b.report(report);
                }).build().run();
        train.reset();
        ChecklistReport checklist = r.checklist();
        List<Double> trainLoss = new ArrayList<>();
        List<Double> testLoss = new ArrayList<>();
        for (EpochSnapshot s : r.suite().recording().epochSnapshots()) {
            trainLoss.add(s.trainLoss());
            testLoss.add(s.validationMeasured() ? s.validationLoss() : Double.NaN);
        }
        List<Finding> findings = FindingOrder.mostImportantFirst(r.suite().findings());
        Diagnosis diagnosis = r.diagnosis();
        out.printf("  %d incident%s from %d findings, root cause first:%n", diagnosis.loud().size(),
                diagnosis.loud().size() == 1 ? "" : "s", findings.size());
        FindingsText.print(diagnosis, 2, false, "  ", out);
        if (report != null) {
            out.println("  JSON report: " + report);
        }
        return new RunResult(name, checklist, trainLoss, testLoss, accuracy, minimal[0], findings, diagnosis);
    }

    private Path reportFile(boolean bug) {
        if (config.report() == null) {
            return null;
        }
        if (bug) {
            return config.report();
        }
        String file = config.report().getFileName().toString();
        int dot = file.lastIndexOf('.');
        String fixed = dot > 0 ? file.substring(0, dot) + "-fixed" + file.substring(dot) : file + "-fixed";
        return config.report().resolveSibling(fixed);
    }

    private void printSideBySide(RunResult buggy, RunResult fixed) {
        out.printf("%n==== Side by side: training loss per epoch (ln(10) = %.4f is a constant guess over 10 "
                + "classes)%n", Math.log(10));
        out.printf("  %-6s %-12s %-12s%n", "epoch", "buggy", "fixed");
        for (int e = 0; e < Math.max(buggy.trainLoss().size(), fixed.trainLoss().size()); e++) {
            out.printf("  %-6d %-12s %-12s%n", e + 1, cell(buggy.trainLoss(), e), cell(fixed.trainLoss(), e));
        }
        buggy.diagnosis().first().ifPresent(i -> {
            out.printf("%nRoot cause found by dl4j-debug: %s%n", FindingsText.headline(i));
            if (!i.fix().isEmpty()) {
                out.printf("  fix: %s%n", i.fix().get(0));
            }
            i.verified().ifPresent(v -> out.printf("  %s%n", v.summary()));
            out.println("  (the fixed run above is the hand-written fix: BatchNormalization with its default gamma 1.0)");
        });
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String cell(List<Double> values, int i) {
        return i < values.size() ? String.format("%.4f", values.get(i)) : "";
    }

    private static String indent(String text) {
        return text.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + System.lineSeparator());
    }
}
