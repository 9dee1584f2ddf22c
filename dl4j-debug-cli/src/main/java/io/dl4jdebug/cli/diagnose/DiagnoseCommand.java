package io.dl4jdebug.cli.diagnose;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.FindingOrder;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.DebugRun;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.model.UnsupportedModelException;
import io.dl4jdebug.publish.DebugSink;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.cli.BackendGate;
import io.dl4jdebug.cli.FindingsText;
import io.dl4jdebug.cli.ProgressListener;
import io.dl4jdebug.cli.ui.UiOptions;
import io.dl4jdebug.cli.ui.UiSession;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./dl4j-debug diagnose}: for users who won't touch code. Loads a model (configuration JSON, ModelSerializer
 * zip, or a Keras .h5 file through DL4J's Keras import) and a dataset (rows, or sequences for a recurrent model), runs
 * the quick checklist, trains N iterations with the whole monitoring suite attached, tries the top incidents' fixes on
 * copies of the network, writes the JSON report and prints the diagnosis: incidents, root cause first.
 *
 * <p>With {@code --stats FILE} nothing is trained: a run recorded by DL4J's {@code StatsListener} alone is diagnosed
 * from its {@code FileStatsStorage} file ({@link RecordedStatsDiagnosis}), with the same exit codes.
 *
 * <p>Exit codes: 0 no ERROR incident; 1 at least one ERROR incident; 2 bad input (missing file, a file that is not a
 * DL4J model, a Keras file DL4J cannot import, a model that does not fit the data, a CSV label that is not a class,
 * an output path that cannot be written, bad options), printed as one line on stderr (the stack trace only with
 * {@code --verbose}) before anything is trained; 3 an unexpected failure, or a report that passed the check but could
 * not be written later (one line as well).
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Diagnose a DL4J model on a dataset without writing code: quick checklist, a short monitored "
                + "training run, JSON report, incidents root cause first with their fixes tried on copies of the network.",
                "Exit code: 0 no error incident, 1 an error incident, 2 bad input, 3 unexpected failure."},
        exitCodeOnInvalidInput = 2)
public final class DiagnoseCommand implements Callable<Integer> {

    /** Exit code when no ERROR incident remains. */
    public static final int OK = 0;
    /** Exit code when at least one ERROR incident remains. */
    public static final int ERRORS_FOUND = 1;
    /** Exit code for bad input. */
    public static final int BAD_INPUT = 2;
    /** Exit code for an unexpected failure (a bug in dl4j-debug or DL4J). */
    public static final int UNEXPECTED = 3;

    private static final int MAX_VALIDATION = 1000;
    /** Examples read without --examples when few iterations need fewer. */
    static final int MIN_DEFAULT_EXAMPLES = 2048;
    /** Examples read at most without --examples (Fashion-MNIST's training set). */
    static final int MAX_DEFAULT_EXAMPLES = 60_000;
    /** Passes over the training examples above which a fitting verdict is called one on a small sample. */
    static final double SMALL_SAMPLE_EPOCHS = 3;

    @Option(names = "--stats", paramLabel = "FILE", description = {"Diagnose a run recorded by DL4J's StatsListener "
            + "alone (a FileStatsStorage file written during training) instead of training: the checks its statistics "
            + "support (loss curve, update:parameter ratios, gradient norms, learning rates, activations), the "
            + "incidents, and what needs dl4j-debug attached during training. Replaces --model and --data; with --ui "
            + "the file opens in DL4J's UI with the Debug page showing the diagnosis."})
    private Path stats;

    @Option(names = "--model", paramLabel = "FILE", description = "MultiLayerConfiguration or "
            + "ComputationGraphConfiguration JSON (toJson()), a ModelSerializer .zip, or a Keras 1.x/2.x model.h5 "
            + "(model.save(); Sequential or Functional, imported with DL4J's KerasModelImport)")
    private Path model;

    @Option(names = "--data", paramLabel = "SPEC", description = {"fashion-mnist[:DIR], "
            + "cifar10[:DIR], csv:FILE or csv:DIR. Fashion-MNIST is fed to a recurrent model (first layer LSTM, "
            + "SimpleRnn, ...) as 28 time steps of 28 pixels.",
            "csv:FILE: rows, one example per line, numeric columns, the label in the last column (--label-column), "
                    + "a non-numeric first line is a header (--header-lines).",
            "csv:DIR: sequences for a recurrent model, one CSV file per sequence (sorted by name), one line per "
                    + "time step: either the files in DIR, each line the features and the label (labels per step; "
                    + "shorter sequences are padded at the end and masked), or DIR/features/ and DIR/labels/ with "
                    + "files of the same names, a labels file holding the sequence's label on one line (aligned to "
                    + "its last step, ALIGN_END). A model with one output per sequence is trained on the label of "
                    + "each sequence's last step."})
    private String data;

    @Option(names = "--label-column", paramLabel = "N", description = "csv: the label column, 0-based "
            + "(default: the last)")
    private Integer labelColumn;

    @Option(names = "--header-lines", paramLabel = "N", description = "csv: lines to skip at the top of each file "
            + "(default: 1 when the first line is not numeric, else 0)")
    private Integer headerLines;

    @Option(names = "--regression", description = "csv: the label column holds values to regress on, not class "
            + "indices")
    private boolean regression;

    @Option(names = "--loss", paramLabel = "NAME", description = "Keras .h5: the loss, for a file saved without its "
            + "training configuration (or to replace it): " + KerasTraining.LOSSES)
    private String loss;

    @Option(names = "--updater", paramLabel = "NAME", description = "Keras .h5: the optimizer (default: the file's, "
            + "else adam): " + KerasTraining.UPDATERS)
    private String updater;

    @Option(names = "--lr", paramLabel = "RATE", description = "Keras .h5: the learning rate (default: the file's, "
            + "else the optimizer's Keras default)")
    private Double learningRate;

    @Option(names = "--iterations", paramLabel = "N", description = "Training iterations (minibatches) "
            + "(default: ${DEFAULT-VALUE})")
    private int iterations = 100;

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch size (default: ${DEFAULT-VALUE})")
    private int batch = 32;

    @Option(names = "--examples", paramLabel = "N", description = "Examples to read; 20%% of them (at most "
            + MAX_VALIDATION + ") are held out as validation set (default: enough for about one pass of "
            + "--iterations x --batch, at least " + MIN_DEFAULT_EXAMPLES + " and at most " + MAX_DEFAULT_EXAMPLES
            + ", fewer when the dataset has fewer)")
    private Integer examples;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes of csv data (labels 0..N-1); "
            + "default: the largest label + 1, or the model's output width when that is larger")
    private Integer classes;

    @Option(names = "--report", paramLabel = "FILE", description = "The JSON report (default: ${DEFAULT-VALUE})")
    private Path report = Paths.get("dl4j-debug-report.json");

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where CIFAR-10 conversions or generated images "
            + "are kept (default: ${DEFAULT-VALUE})")
    private Path workDir = Paths.get(System.getProperty("user.home"), ".dl4j-debug", "cifar10");

    @Option(names = "--verbose", description = "Print every checklist item and finding, and stack traces of errors.")
    private boolean verbose;

    @Option(names = "--verify-fixes", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Try the top incidents' fixes on copies of the network (same data and seed) and rank "
                    + "verified causes first (default: ${DEFAULT-VALUE}; --no-verify-fixes skips it)")
    private boolean verifyFixes = true;

    @Option(names = "--verify-iterations", paramLabel = "N", description = "Training iterations of each copy when "
            + "fixes are verified (default: ${DEFAULT-VALUE})")
    private int verifyIterations = 60;

    @CommandLine.Mixin
    private UiOptions uiOptions = new UiOptions();

    private final PrintStream out;
    private final PrintStream err;

    /** Prints to System.out and System.err. */
    public DiagnoseCommand() {
        this(System.out, System.err);
    }

    /**
     * @param out where results go
     * @param err where errors go (one line each)
     */
    public DiagnoseCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            return diagnose();
        } catch (UserInputException e) {
            return badInput(e.getMessage(), e);
        } catch (UnsupportedModelException e) {
            return badInput(e.getMessage(), e);
        } catch (OutputFailure e) {
            err.println("diagnose: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return UNEXPECTED;
        } catch (RuntimeException e) {
            err.println("diagnose: unexpected failure: " + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()) + (verbose ? "" : " (--verbose prints the stack trace)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return UNEXPECTED;
        }
    }

    private int badInput(String message, Throwable e) {
        err.println("diagnose: " + firstLine(message));
        if (verbose) {
            e.printStackTrace(err);
        }
        return BAD_INPUT;
    }

    private int diagnose() throws InterruptedException {
        if (stats != null) {
            if (model != null || data != null || uiOptions.statsFile() != null) {
                throw new UserInputException("--stats " + stats + " diagnoses a recorded run without training; "
                        + "leave out --model, --data and --stats-file");
            }
            OutputPaths.check("--report", report);
            return new RecordedStatsDiagnosis(out, verbose).run(stats, report, uiOptions);
        }
        if (model == null || data == null) {
            throw new UserInputException("--model FILE and --data SPEC are required (or --stats FILE for a run "
                    + "recorded by DL4J's StatsListener)");
        }
        if (iterations < 1) {
            throw new UserInputException("--iterations must be >= 1 but was " + iterations);
        }
        if (batch < 1) {
            throw new UserInputException("--batch must be >= 1 but was " + batch);
        }
        if (verifyIterations < 1) {
            throw new UserInputException("--verify-iterations must be >= 1 but was " + verifyIterations);
        }
        if (examples != null && examples < batch) {
            throw new UserInputException("--examples must be >= --batch (" + batch + ") but was " + examples);
        }
        if (classes != null && classes < 2) {
            throw new UserInputException("--classes must be >= 2 but was " + classes);
        }
        OutputPaths.check("--report", report);
        if (uiOptions.statsFile() != null) {
            OutputPaths.check("--stats-file", uiOptions.statsFile());
        }
        DataSpec spec = DataSpec.parse(data);
        if (!BackendGate.check("diagnose", err)) {
            return ERRORS_FOUND;
        }
        KerasTraining keras = new KerasTraining(loss, updater, learningRate);
        CsvData.Options csv = new CsvData.Options(labelColumn, headerLines, regression);
        Model net;
        String imported = null;
        if (KerasH5File.isHdf5(model)) {
            KerasModelLoader.Loaded loaded = KerasModelLoader.load(model, keras);
            net = loaded.model();
            imported = loaded.training();
        } else {
            if (!keras.isEmpty()) {
                throw new UserInputException("--loss, --updater and --lr are for Keras .h5 models; --model " + model
                        + " is a DL4J model, which has its own loss and updater");
            }
            net = ModelLoader.load(model);
        }
        ModelView.requireSupported(net);
        NetworkOps ops = NetworkOps.of(net);
        if (ops.inputCount() != 1 || ops.outputCount() != 1) {
            throw new UserInputException("--model " + model + " has " + ops.inputCount() + " inputs and "
                    + ops.outputCount() + " outputs; diagnose runs single-input, single-output networks");
        }
        ModelInput input = ModelInput.of(ops);
        DataSet all = readAll(spec, outputWidth(ops), input, csv);
        checkFits(ops, all, input);
        all.shuffle(42);
        int held = all.numExamples() >= 5 * batch ? Math.min(MAX_VALIDATION, all.numExamples() / 5) : 0;
        DataSet train = held == 0 ? all : (DataSet) all.getRange(0, all.numExamples() - held);
        DataSet validation = held == 0 ? null : (DataSet) all.getRange(all.numExamples() - held, all.numExamples());
        // sequences stay NCW until batched (ND4J pads and masks them in that layout), then take the network's layout
        DataSetIterator trainIt = new MinibatchListIterator(input.layout(train.batchBy(batch)));
        DataSetIterator valIt = validation == null ? null
                : new MinibatchListIterator(input.layout(validation.batchBy(256)));
        // the training data scored in inference mode at each epoch's end: the fitting verdict compares like with like,
        // and a network that scores its own training data far worse in inference mode (BatchNorm statistics, dropout)
        // is told apart from one that overfits
        DataSetIterator trainEvalIt = new MinibatchListIterator(input.layout(((DataSet) train.getRange(0,
                Math.min(MAX_VALIDATION, train.numExamples()))).batchBy(256)));

        out.println("dl4j-debug diagnose");
        out.printf(Locale.ROOT, "  model: %s (%s, %d layers, %d parameters, %s input)%n", model, ops.kind(),
                ops.view().layers().size(), ops.view().numParams(), input.describe());
        if (imported != null) {
            out.println("  imported from Keras with DL4J's KerasModelImport: " + imported);
        }
        out.printf(Locale.ROOT, "  data:  %s: %d examples (%d train, %s), features %s, %d label columns%s%n",
                data, all.numExamples(), train.numExamples(), validation == null
                        ? "no validation set (too few examples)" : validation.numExamples() + " held out for validation",
                Arrays.toString(input.exampleShape(all.getFeatures())),
                all.getLabels().rank() >= 2 ? all.getLabels().size(1) : 1, examples == null ? "; --examples not given: read for about one pass of "
                        + iterations + " iterations" : "");

        UiSession ui;
        try {
            ui = UiSession.start(uiOptions, out);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        try (ui) {
            int code = run(net, ops, trainIt, valIt, trainEvalIt, train.numExamples(), ui);
            out.flush();
            ui.awaitAfterTraining();
            return code;
        }
    }

    private int run(Model net, NetworkOps ops, DataSetIterator trainIt, DataSetIterator valIt,
                    DataSetIterator trainEvalIt, int trainExamples,
                    UiSession ui) {
        out.println();
        out.println("-- Quick checklist (on copies of the network)");
        UiSession.Run run = ui.newRun("diagnose");
        FirstScore first = new FirstScore();
        run.attach(net);
        int batchesPerEpoch = (trainExamples + batch - 1) / batch;
        ProgressListener bar = System.console() == null ? null : new ProgressListener(out, "training", 1, iterations);
        long[] started = new long[1];
        DebugRun.Observer stages = new DebugRun.Observer() {
            @Override
            public void checklistDone(ChecklistReport checklist) {
                printChecklist(checklist);
                out.println();
                out.printf(Locale.ROOT, "-- Training %d iterations (batch %d, %d per epoch) with the monitors "
                        + "attached%n", iterations, batch, batchesPerEpoch);
                started[0] = System.nanoTime();
            }

            @Override
            public void trainingDone(DebugSuite suite, long trained, double seconds) {
                if (bar != null) {
                    bar.finish();
                }
                printTraining(suite, first, trained, seconds);
            }

            @Override
            public void verified(Diagnosis diagnosis, double seconds) {
                out.printf(Locale.ROOT, "  fixes tried on copies of the network in %.1f s (%d iterations each, "
                        + "--no-verify-fixes skips this)%n", seconds, verifyIterations);
            }
        };
        DebugRun.Builder b = DebugRun.on(net).train(trainIt).validation(valIt).trainEvaluation(trainEvalIt)
                .iterations(iterations).observer(stages)
                .verify(verifyFixes ? VerifyBudget.ofIterations(verifyIterations) : null)
                .suite(s -> {
                    s.logging(verbose).report(report).sink(first);
                    run.sink().ifPresent(s::sink);
                    return s;
                });
        if (bar != null) {
            b.listener(bar);
        }
        DebugRun.Result result;
        try {
            result = b.build().run();
        } catch (UncheckedIOException e) {
            if (!String.valueOf(e.getMessage()).contains("dl4j-debug report")) {
                throw e;
            }
            throw new OutputFailure("could not write --report " + report + ": " + firstLine(String.valueOf(
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage())), e);
        }
        DebugSuite suite = result.suite();
        Diagnosis diagnosis = result.diagnosis();
        long trained = result.iterations();
        out.println();
        out.printf(Locale.ROOT, "-- Diagnosis: %d incident%s from %d findings, root cause first%n",
                diagnosis.loud().size(), diagnosis.loud().size() == 1 ? "" : "s", suite.findings().size());
        FindingsText.print(diagnosis, verbose ? 5 : 2, verbose, "  ", out);
        double epochs = (double) trained / batchesPerEpoch;
        if (epochs > SMALL_SAMPLE_EPOCHS) {
            diagnosis.loud().stream().map(i -> i.symptom()).filter(x -> x == Symptom.OVERFITTING
                    || x == Symptom.UNDERFITTING).findFirst().ifPresent(x -> out.printf(Locale.ROOT,
                    "  note: %s was judged on a small sample: %d iterations are %.0f passes over only %d training "
                            + "examples, and any network memorises a sample it sees that often; read more with "
                            + "--examples N (or train fewer --iterations) before acting on it%n", x, trained, epochs,
                    trainExamples));
        }
        if (verbose) {
            out.println();
            out.println("-- Raw findings, most important first");
            FindingsText.print(FindingOrder.mostImportantFirst(suite.findings()), Integer.MAX_VALUE, 5, "  ", out);
        }
        long errors = diagnosis.loud().stream().filter(i -> i.severity() == Severity.ERROR).count();
        long warnings = diagnosis.loud().size() - errors;
        out.println();
        out.println("Report: " + report.toAbsolutePath());
        out.printf(Locale.ROOT, "Result: %d error incident%s, %d warning incident%s -> exit code %d%n", errors,
                errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", errors > 0 ? ERRORS_FOUND : OK);
        return errors > 0 ? ERRORS_FOUND : OK;
    }

    /**
     * @param iterations training iterations asked for
     * @param batch      minibatch size
     * @return examples to read without --examples: iterations x batch for training plus the validation share, so
     *         that the run is about one pass (a fitting verdict after many passes over a small sample is
     *         meaningless), at least {@link #MIN_DEFAULT_EXAMPLES} and at most {@link #MAX_DEFAULT_EXAMPLES}
     */
    static int defaultExamples(int iterations, int batch) {
        long train = (long) iterations * batch;
        long total = train + Math.min(MAX_VALIDATION, (train + 3) / 4);
        return (int) Math.min(MAX_DEFAULT_EXAMPLES, Math.max(MIN_DEFAULT_EXAMPLES, total));
    }

    private DataSet readAll(DataSpec spec, int modelClasses, ModelInput input, CsvData.Options csv) {
        int wanted = examples != null ? examples : defaultExamples(iterations, batch);
        DataSetIterator it = spec.read(wanted, batch, workDir, out, classes, modelClasses, input, csv);
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next());
        }
        if (batches.isEmpty()) {
            throw new UserInputException("--data " + data + ": no examples could be read");
        }
        return DataSet.merge(batches);
    }

    /**
     * Checks that the network runs on the data and that its output fits the labels, and says both numbers when not.
     */
    private void checkFits(NetworkOps ops, DataSet all, ModelInput input) {
        DataSet first = input.layout((DataSet) all.getRange(0, Math.min(batch, all.numExamples())));
        long[] shape = first.getFeatures().shape();
        long perExample = 1;
        for (int i = 1; i < shape.length; i++) {
            perExample *= shape[i];
        }
        INDArray output;
        try {
            output = ops.output(first.getFeatures());
        } catch (RuntimeException e) {
            String exampleShape = Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length));
            long nIn = firstLayerNIn(ops);
            String problem = nIn == perExample && shape.length > 2
                    ? "its first layer " + describeFirstLayer(ops) + " takes nIn=" + nIn + " inputs as a flat "
                    + "vector, and the data has " + perExample + " features per example but in shape " + exampleShape
                    + " (add .setInputType(InputType.convolutionalFlat(...)) or a preprocessor to the configuration)"
                    : "its first layer " + describeFirstLayer(ops) + (nIn > 0 ? " takes nIn=" + nIn + " inputs"
                    : " cannot take this input") + ", but each example of the data has " + perExample
                    + " features (shape " + exampleShape + ")";
            throw new UserInputException("--model " + model + " does not fit --data " + data + ": " + problem
                    + "; DL4J says: " + firstLine(String.valueOf(e.getMessage())), e);
        }
        long outputs = classWidth(output, input);
        long labels = classWidth(first.getLabels(), input);
        if (outputs != labels) {
            String name = ops.view().outputLayerName();
            throw new UserInputException("--model " + model + " does not fit --data " + data + ": the output layer '"
                    + name + "' gives " + outputs + " values per example but the data has " + labels
                    + " classes (label columns); set nOut(" + labels + ") on it");
        }
    }

    /** @return the width of the class (or value) axis: 1 for NCW and 2-D arrays, 2 for NWC sequences */
    private static long classWidth(INDArray array, ModelInput input) {
        if (array.rank() < 2) {
            return 1;
        }
        return array.rank() == 3 && input.outputFormat() == org.deeplearning4j.nn.conf.RNNFormat.NWC
                ? array.size(2) : array.size(1);
    }

    private static Map.Entry<String, Layer> firstLayer(NetworkOps ops) {
        Map<String, Layer> confs = ops.layerConfigurations();
        return confs.isEmpty() ? null : confs.entrySet().iterator().next();
    }

    /** @return nIn of the first layer, 0 when it has none or it is unknown */
    private static long firstLayerNIn(NetworkOps ops) {
        Map.Entry<String, Layer> first = firstLayer(ops);
        return first != null && first.getValue() instanceof FeedForwardLayer ff ? ff.getNIn() : 0;
    }

    private static String describeFirstLayer(NetworkOps ops) {
        Map.Entry<String, Layer> first = firstLayer(ops);
        return first == null ? "(none)" : "'" + first.getKey() + "' (" + first.getValue().getClass().getSimpleName()
                + ")";
    }

    private void printChecklist(ChecklistReport checklist) {
        int problems = 0;
        for (ChecklistItem item : checklist.items()) {
            boolean problem = item.status().isProblem();
            problems += problem ? 1 : 0;
            if (problem || verbose) {
                out.printf(Locale.ROOT, "  %-7s %-28s %s%n", item.status(), item.id(), item.message());
            }
        }
        out.printf(Locale.ROOT, "  %d items, %d with problems%s%n", checklist.items().size(), problems,
                verbose ? "" : " (--verbose lists them all)");
    }

    /**
     * @param trained iterations trained, counted on the network (the recording keeps only the newest scores)
     * @param firstScore the first iteration's score, kept from the start
     */
    private void printTraining(DebugSuite suite, FirstScore firstScore, long trained, double seconds) {
        List<ScoreSnapshot> scores = suite.recording().scoreSnapshots();
        List<EpochSnapshot> epochs = suite.recording().epochSnapshots();
        String first = firstScore.first == null ? "-" : FindingsText.number(firstScore.first.score());
        String last = scores.isEmpty() ? "-" : FindingsText.number(scores.get(scores.size() - 1).score());
        out.printf(Locale.ROOT, "  trained %d iterations in %.1f s%s; minibatch loss %s -> %s", trained,
                seconds, suite.firstNonFinite().isPresent() ? ", stopped at the first NaN/Inf (policy STOP)" : "",
                first, last);
        if (!epochs.isEmpty() && epochs.get(epochs.size() - 1).validationMeasured()) {
            out.printf(Locale.ROOT, ", validation loss %s", FindingsText.number(epochs.get(epochs.size() - 1).validationLoss()));
        }
        out.println();
        suite.firstNonFinite().ifPresent(e -> out.println("  " + e.describe()));
    }

    /**
     * @return the output layer's nOut (the feeding layer's behind a parameterless loss layer), 0 when it is not a
     *         feed-forward layer or unknown
     */
    private static int outputWidth(NetworkOps ops) {
        Layer output = ops.layerConfigurations().get(ops.view().outputLayerName());
        if (output instanceof org.deeplearning4j.nn.conf.layers.LossLayer
                || output instanceof org.deeplearning4j.nn.conf.layers.RnnLossLayer) {
            // a parameterless loss layer (as Keras import adds one) outputs what the layer before it does
            List<String> inputs = ops.vertexInputs().get(ops.view().outputLayerName());
            output = inputs == null || inputs.size() != 1 ? output : ops.layerConfigurations().get(inputs.get(0));
        }
        return output instanceof FeedForwardLayer ff && ff.getNOut() > 0 && ff.getNOut() < Integer.MAX_VALUE
                ? (int) ff.getNOut() : 0;
    }

    /**
     * Runs a step that writes the report; a file that cannot be written (the disk filled up after the check before
     * training) is one line naming --report, not a stack trace.
     */
    /** An output file that could be checked but not written: exit code 3, one line. */
    private static final class OutputFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Keeps the run's first score: the recording keeps only the newest ones. Thread safe. */
    private static final class FirstScore implements DebugSink {
        private volatile ScoreSnapshot first;

        @Override
        public void onScore(ScoreSnapshot snapshot) {
            if (first == null) {
                first = snapshot;
            }
        }

        @Override
        public String name() {
            return "diagnose first score";
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl).strip();
    }
}
