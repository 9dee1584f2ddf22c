package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.model.ParameterInfo;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMAPE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSLE;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSquaredHinge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The method's quick checklist (section 3.1), run before training from a network and its data: data loads, is
 * finite and normalized; labels are valid and balanced; training and validation sets do not overlap; the forward
 * pass runs and fits the labels; the initial loss is near ln(C); loss, output activation and labels fit together;
 * every trainable parameter gets a gradient and changes after one step; dropout, batch normalization, learning rate
 * and batch size are plausible; the backend is the expected one and its kernels run (checked first: when the backend
 * does not work, every other item is SKIPPED); seeds are fixed and two repeated runs are bit-identical.
 *
 * <p>Every item gets PASS, WARN, FAIL or SKIPPED with its evidence; every WARN or FAIL comes with a {@link Finding}.
 * Checks that train or compute gradients run on copies of the network: the user's network, its parameters, updater
 * state and listeners are never touched. The iterators are reset before and after scanning when they support it (an
 * iterator that cannot reset is consumed by up to {@code maxBatches} minibatches). The determinism check re-seeds
 * ND4J's global random generator with the configured seed. A check that crashes is reported as SKIPPED with the
 * exception, never thrown. Not thread safe.
 */
public final class QuickChecklist {

    private static final Logger LOG = LoggerFactory.getLogger(QuickChecklist.class);
    /** Seeds between ten years ago and tomorrow (in ms) look like DL4J's default seed, the build time. */
    private static final long TEN_YEARS_MS = 10L * 365 * 24 * 3600 * 1000;
    private static final double LEAK_TOLERANCE = 1e-7;

    private final ChecklistConfig config;

    /**
     * @param config thresholds and options
     */
    public QuickChecklist(ChecklistConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** @return a checklist with the default configuration */
    public static QuickChecklist withDefaults() {
        return new QuickChecklist(ChecklistConfig.defaults());
    }

    /**
     * Runs every check without a validation set (the leakage check is SKIPPED).
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph (single input, single output for the data
     *              checks)
     * @param train the training data
     * @return the report
     */
    public ChecklistReport run(Model model, DataSetIterator train) {
        return run(model, train, null);
    }

    /**
     * Runs every check.
     *
     * @param model      an initialised MultiLayerNetwork or ComputationGraph
     * @param train      the training data
     * @param validation the validation data, or null
     * @return the report
     */
    public ChecklistReport run(Model model, DataSetIterator train, DataSetIterator validation) {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(train, "train iterator must not be null");
        NetworkOps ops = NetworkOps.of(model);
        Run run = new Run(ops, train, validation);
        run.execute();
        return new ChecklistReport(run.items, run.findings);
    }

    /**
     * Runs only the {@code env.backend} item: a backend loads, it is the expected one, on CUDA every GPU's compute
     * capability is supported, and a tiny mmul/sigmoid/sum/conv2d runs correctly (see
     * {@link ChecklistConfig#kernelProbeMode()}). Needs no network: call it before {@code net.init()}, which already
     * runs ND4J operations.
     *
     * @return a report with the one item and its finding, if any
     */
    public ChecklistReport checkBackend() {
        List<ChecklistItem> items = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        checkBackend(config, items, findings);
        return new ChecklistReport(items, findings);
    }

    /**
     * Adds the {@code env.backend} item (and its finding) to the lists.
     *
     * @return false when the backend is unusable (none loads, an unsupported GPU, the kernel probe failed)
     */
    private static boolean checkBackend(ChecklistConfig config, List<ChecklistItem> items, List<Finding> findings) {
        String id = "env.backend";
        BackendCheck.Verdict verdict;
        try {
            verdict = new BackendCheck(config).run();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("checklist item {} could not run", id, e);
            items.add(new ChecklistItem(id, Level.CODE, CheckStatus.SKIPPED, "the check could not run: " + e,
                    Map.of()));
            return true;
        }
        items.add(new ChecklistItem(id, Level.CODE, verdict.status(), verdict.message(), verdict.evidence()));
        if (verdict.finding() != null) {
            findings.add(verdict.finding());
        }
        return verdict.backendUsable();
    }

    /** One checklist item: its id, level and the code that adds it. */
    private record Check(String id, Level level, Runnable run) {
    }

    /** The state of one checklist run. */
    private final class Run {
        private final NetworkOps ops;
        private final ModelView view;
        private final DataSetIterator train;
        private final DataSetIterator validation;
        private final List<ChecklistItem> items = new ArrayList<>();
        private final List<Finding> findings = new ArrayList<>();
        private final Map<String, Layer> confs;
        private DataScan trainScan;
        private DataSet first;
        private boolean forwardOk;
        private final Set<String> missingGradients = new java.util.HashSet<>();

        Run(NetworkOps ops, DataSetIterator train, DataSetIterator validation) {
            this.ops = ops;
            this.view = ops.view();
            this.train = train;
            this.validation = validation;
            this.confs = ops.layerConfigurations();
        }

        void execute() {
            DataScan.Projector projector = new DataScan.Projector(config.seed());
            List<Check> checks = List.of(
                    new Check("data.loads", Level.CODE, this::dataLoads),
                    new Check("data.finite", Level.CODE, this::dataFinite),
                    new Check("data.scale", Level.CODE, this::dataScale),
                    new Check("labels.valid", Level.CODE, this::labelsValid),
                    new Check("labels.balance", Level.CODE, this::labelsBalance),
                    new Check("data.leakage", Level.CODE, () -> leakage(projector)),
                    new Check("model.forward", Level.CODE, this::forward),
                    new Check("loss.output-fit", Level.CODE, this::lossOutputFit),
                    new Check("loss.init", Level.CODE, this::initLoss),
                    new Check("gradients.reach-parameters", Level.CODE, this::gradientsReachParameters),
                    new Check("parameters.update", Level.OPTIMIZATION, this::parametersUpdate),
                    new Check("config.dropout", Level.CODE, this::dropout),
                    new Check("config.batchnorm", Level.CODE, this::batchNorm),
                    new Check("optimizer.learning-rate", Level.OPTIMIZATION, this::learningRate),
                    new Check("env.seed", Level.CODE, this::seed),
                    new Check("env.determinism", Level.CODE, this::determinism));
            // the backend first: on a GPU without kernels every other check would fail or crash natively
            if (!checkBackend(config, items, findings)) {
                checks.forEach(c -> skip(c.id(), c.level(), "not run: the ND4J backend does not work on this "
                        + "machine (see env.backend)"));
                return;
            }
            trainScan = DataScan.scan(train, config.maxBatches(), config.labelTolerance(),
                    validation == null ? null : projector);
            first = trainScan.first;
            checks.forEach(c -> guarded(c.id(), c.level(), c.run()));
        }

        private void guarded(String id, Level level, Runnable check) {
            int before = items.size();
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                check.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("checklist item {} could not run", id, e);
                while (items.size() > before) {
                    items.remove(items.size() - 1);
                }
                items.add(new ChecklistItem(id, level, CheckStatus.SKIPPED,
                        "the check could not run: " + e, Map.of()));
            }
        }

        // ---------------------------------------------------------------- items

        private void pass(String id, Level level, String message, Map<String, Double> evidence) {
            items.add(new ChecklistItem(id, level, CheckStatus.PASS, message, evidence));
        }

        private void skip(String id, Level level, String message) {
            items.add(new ChecklistItem(id, level, CheckStatus.SKIPPED, message, Map.of()));
        }

        /** Adds a WARN or FAIL item and its findings; the item's evidence is the first finding's. */
        private void problem(String id, CheckStatus status, String message, List<Finding> found) {
            Finding lead = found.get(0);
            items.add(new ChecklistItem(id, lead.level(), status, message, lead.evidence()));
            findings.addAll(found);
        }

        private void problem(String id, CheckStatus status, Finding finding) {
            problem(id, status, finding.message(), List.of(finding));
        }

        private boolean needData(String id, Level level) {
            if (first == null) {
                skip(id, level, "no training minibatch could be read (see data.loads)");
                return false;
            }
            return true;
        }

        // ---------------------------------------------------------------- data

        private void dataLoads() {
            String id = "data.loads";
            if (trainScan.error != null) {
                problem(id, CheckStatus.FAIL, Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR,
                                "the training iterator failed after " + trainScan.batches + " minibatches: "
                                        + trainScan.error)
                        .evidence("batches", trainScan.batches)
                        .suggest("fix the DataSetIterator: call iterator.next() yourself and inspect the DataSet")
                        .build());
                return;
            }
            if (trainScan.examples == 0 || trainScan.featuresPerExample == 0) {
                problem(id, CheckStatus.FAIL, Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR,
                                "the training iterator produced no examples (" + trainScan.batches + " minibatches)")
                        .evidence("batches", trainScan.batches).evidence("examples", trainScan.examples)
                        .suggest("check the data path and that the iterator was not already consumed "
                                + "(iterator.reset())")
                        .build());
                return;
            }
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("batches", (double) trainScan.batches);
            ev.put("examples", (double) trainScan.examples);
            ev.put("featuresPerExample", (double) trainScan.featuresPerExample);
            ev.put("batchSize", (double) first.numExamples());
            ev.put("resetSupported", trainScan.resetSupported ? 1.0 : 0.0);
            pass(id, Level.CODE, "read " + trainScan.examples + " examples in " + trainScan.batches
                    + " minibatches of up to " + first.numExamples()
                    + (trainScan.resetSupported ? "" : " (the iterator cannot reset: these minibatches were consumed)"),
                    ev);
        }

        private void dataFinite() {
            String id = "data.finite";
            if (!needData(id, Level.CODE)) {
                return;
            }
            long bad = trainScan.nonFiniteFeatures + trainScan.nonFiniteLabels;
            if (bad > 0) {
                problem(id, CheckStatus.FAIL, Finding.builder(Symptom.DATA_NON_FINITE, Severity.ERROR,
                                trainScan.nonFiniteFeatures + " feature values and " + trainScan.nonFiniteLabels
                                        + " label values are NaN or infinite in the first " + trainScan.examples
                                        + " examples")
                        .evidence("nonFiniteFeatures", trainScan.nonFiniteFeatures)
                        .evidence("nonFiniteLabels", trainScan.nonFiniteLabels)
                        .evidence("featureValues", trainScan.featureValues)
                        .suggest("clean or impute missing values before training (NaN propagates to every weight)",
                                "check divisions by zero in feature engineering and normalizer statistics")
                        .build());
                return;
            }
            pass(id, Level.CODE, "all " + trainScan.featureValues + " feature values are finite",
                    Map.of("featureValues", (double) trainScan.featureValues));
        }

        private void dataScale() {
            String id = "data.scale";
            if (!needData(id, Level.CODE)) {
                return;
            }
            if (trainScan.scaleValues == 0) {
                skip(id, Level.CODE, "no minibatch without NaN/Inf to measure the feature scale on");
                return;
            }
            double mean = trainScan.mean();
            double std = trainScan.std();
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("mean", mean);
            ev.put("std", std);
            ev.put("min", trainScan.min);
            ev.put("max", trainScan.max);
            if (Math.abs(mean) > config.maxFeatureMean() || std > config.maxFeatureStd()) {
                Finding.Builder b = Finding.builder(Symptom.DATA_UNNORMALIZED, Severity.WARN, String.format(
                        java.util.Locale.ROOT, "features are not normalized: mean %.4g, std %.4g, range [%.4g, %.4g]"
                                + " (expected |mean| <= %.3g and std <= %.3g)", mean, std, trainScan.min,
                        trainScan.max, config.maxFeatureMean(), config.maxFeatureStd()));
                b.evidence(ev);
                b.evidence("maxFeatureMean", config.maxFeatureMean()).evidence("maxFeatureStd", config.maxFeatureStd());
                if (trainScan.min >= 0 && trainScan.max > 1 && trainScan.max <= 255) {
                    b.suggest("pixels look like raw 0-255 values: iterator.setPreProcessor(new "
                            + "ImagePreProcessingScaler(0, 1))");
                }
                b.suggest("fit a NormalizerStandardize on the training data and set it as the iterator's "
                        + "pre-processor (iterator.setPreProcessor(normalizer))");
                problem(id, CheckStatus.WARN, b.build());
                return;
            }
            if (std < config.minFeatureStd()) {
                Finding.Builder b = Finding.builder(Symptom.DATA_UNNORMALIZED, Severity.WARN, String.format(
                        java.util.Locale.ROOT, "features are almost constant: std %.4g < %.3g", std,
                        config.minFeatureStd()));
                b.evidence(ev);
                b.evidence("minFeatureStd", config.minFeatureStd())
                        .suggest("check that features were not scaled twice (e.g. divided by 255 twice)");
                problem(id, CheckStatus.WARN, b.build());
                return;
            }
            pass(id, Level.CODE, String.format(java.util.Locale.ROOT, "features look normalized: mean %.4g, std %.4g",
                    mean, std), ev);
        }

        // ---------------------------------------------------------------- labels

        private OutputSetup outputSetup() {
            for (LayerInfo layer : view.layers()) {
                if (layer.outputLayer()) {
                    Layer conf = confs.get(layer.name());
                    if (conf != null) {
                        return new OutputSetup(layer.name(), LayerConfs.activation(conf).orElse(null),
                                LayerConfs.loss(conf).orElse(null), LayerConfs.nOut(conf));
                    }
                }
            }
            return null;
        }

        private void labelsValid() {
            String id = "labels.valid";
            if (!needData(id, Level.CODE)) {
                return;
            }
            if (first.getLabels() == null) {
                problem(id, CheckStatus.FAIL, Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR,
                                "the training minibatches carry no labels")
                        .suggest("build DataSets with new DataSet(features, labels)").build());
                return;
            }
            if (trainScan.nonFiniteLabels > 0) {
                skip(id, Level.CODE, "labels contain NaN or infinite values (see data.finite)");
                return;
            }
            OutputSetup out = outputSetup();
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("labelColumns", (double) trainScan.labelColumns);
            ev.put("labelMin", trainScan.labelMin);
            ev.put("labelMax", trainScan.labelMax);
            ev.put("rowsNotSummingToOne", (double) trainScan.labelRowsNotSummingToOne);
            ev.put("labelRows", (double) trainScan.labelRows);
            if (out == null || out.loss == null) {
                pass(id, Level.CODE, "labels are finite; no output layer loss to check them against", ev);
                return;
            }
            String layer = out.name;
            if (out.loss instanceof LossSparseMCXENT) {
                long classes = out.nOut;
                boolean badRange = trainScan.labelMin < 0 || (classes > 0 && trainScan.labelMax > classes - 1);
                if (badRange || trainScan.nonIntegerLabels > 0 || trainScan.labelColumns != 1) {
                    problem(id, CheckStatus.FAIL, Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR,
                                    "sparse cross-entropy needs one integer class index in [0, " + (classes - 1)
                                            + "] per example, but labels range over [" + trainScan.labelMin + ", "
                                            + trainScan.labelMax + "] with " + trainScan.nonIntegerLabels
                                            + " non-integer values in " + trainScan.labelColumns + " columns")
                            .layer(layer).evidence("labelMin", trainScan.labelMin)
                            .evidence("labelMax", trainScan.labelMax)
                            .evidence("nonIntegerLabels", trainScan.nonIntegerLabels)
                            .suggest("use class indices 0..nOut-1, or one-hot labels with LossFunction.MCXENT")
                            .build());
                    return;
                }
                pass(id, Level.CODE, "labels are integer class indices in range", ev);
                return;
            }
            boolean inUnitRange = trainScan.labelMin >= -config.labelTolerance()
                    && trainScan.labelMax <= 1 + config.labelTolerance();
            if (out.loss instanceof LossMCXENT && out.isSoftmax()) {
                if (trainScan.labelsMasked && inUnitRange) {
                    pass(id, Level.CODE, "labels are in [0, 1] (masked: row sums not checked)", ev);
                    return;
                }
                if (!inUnitRange || trainScan.labelRowsNotSummingToOne > 0) {
                    Finding.Builder b = Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR, String.format(
                                    java.util.Locale.ROOT, "softmax cross-entropy needs one-hot (or probability) "
                                            + "label rows, but %d of %d rows do not sum to 1 and values range over "
                                            + "[%.4g, %.4g]", trainScan.labelRowsNotSummingToOne, trainScan.labelRows,
                                    trainScan.labelMin, trainScan.labelMax))
                            .layer(layer);
                    b.evidence(ev);
                    b.suggest("one-hot encode class indices: new RecordReaderDataSetIterator(reader, batch, "
                            + "labelIndex, numClasses) or Nd4j.zeros(n, C).putScalar(i, cls, 1)");
                    problem(id, CheckStatus.FAIL, b.build());
                    return;
                }
                boolean oneHot = trainScan.nonIntegerLabels == 0;
                pass(id, Level.CODE, oneHot ? "labels are one-hot rows" : "labels are probability rows (soft labels)",
                        ev);
                return;
            }
            if (out.loss instanceof LossBinaryXENT || out.activation instanceof ActivationSigmoid) {
                if (!inUnitRange) {
                    Finding.Builder b = Finding.builder(Symptom.LABELS_INVALID, Severity.ERROR, String.format(
                                    java.util.Locale.ROOT, "binary cross-entropy / sigmoid outputs need labels in "
                                            + "[0, 1], but labels range over [%.4g, %.4g]", trainScan.labelMin,
                                    trainScan.labelMax))
                            .layer(layer);
                    b.evidence(ev);
                    b.suggest("map labels to 0/1 (e.g. -1/1 labels: (y + 1) / 2)");
                    problem(id, CheckStatus.FAIL, b.build());
                    return;
                }
                pass(id, Level.CODE, "labels are in [0, 1]", ev);
                return;
            }
            pass(id, Level.CODE, "labels are finite (regression-style loss " + out.loss + ": no range to check)", ev);
        }

        private void labelsBalance() {
            String id = "labels.balance";
            if (!needData(id, Level.CODE)) {
                return;
            }
            OutputSetup out = outputSetup();
            boolean classification = out != null && out.loss != null && !(out.loss instanceof LossSparseMCXENT)
                    && (out.loss instanceof LossMCXENT || out.loss instanceof LossBinaryXENT);
            if (!classification || trainScan.classMass == null || trainScan.nonFiniteLabels > 0) {
                skip(id, Level.CODE, "not a one-hot classification setup: class balance not judged");
                return;
            }
            double[] mass = trainScan.classMass;
            if (mass.length == 1) {
                mass = new double[]{trainScan.labelRows - mass[0], mass[0]};
            }
            int classes = mass.length;
            if (trainScan.labelRows < (long) classes * config.minExamplesPerClass()) {
                skip(id, Level.CODE, "only " + trainScan.labelRows + " label rows scanned for " + classes
                        + " classes (need " + classes * config.minExamplesPerClass() + " to judge balance)");
                return;
            }
            double most = Arrays.stream(mass).max().orElse(0);
            double least = Arrays.stream(mass).min().orElse(0);
            int leastClass = 0;
            for (int i = 0; i < classes; i++) {
                if (mass[i] == least) {
                    leastClass = i;
                    break;
                }
            }
            double ratio = least <= 0 ? Double.POSITIVE_INFINITY : most / least;
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("classes", (double) classes);
            ev.put("mostFrequent", most);
            ev.put("leastFrequent", least);
            ev.put("leastFrequentClass", (double) leastClass);
            ev.put("ratio", ratio);
            ev.put("maxImbalanceRatio", config.maxImbalanceRatio());
            if (ratio > config.maxImbalanceRatio()) {
                Finding.Builder b = Finding.builder(Symptom.CLASS_IMBALANCE, Severity.WARN, String.format(
                        java.util.Locale.ROOT, "classes are imbalanced: the most frequent has %.0f examples, class %d"
                                + " has %.0f (ratio %.3g > %.3g) in the first %d examples", most, leastClass, least,
                        ratio, config.maxImbalanceRatio(), trainScan.labelRows));
                b.evidence(ev);
                b.suggest("weight the loss: new LossMCXENT(Nd4j.create(classWeights)) in OutputLayer.Builder"
                                + ".lossFunction(...)",
                        "resample the training set, and judge with per-class metrics (Evaluation.stats()) rather "
                                + "than accuracy",
                        "if the data is sorted by class, shuffle it: a scan of the first minibatches then sees "
                                + "few classes");
                problem(id, CheckStatus.WARN, b.build());
                return;
            }
            pass(id, Level.CODE, String.format(java.util.Locale.ROOT, "%d classes, most/least frequent ratio %.3g",
                    classes, ratio), ev);
        }

        private void leakage(DataScan.Projector projector) {
            String id = "data.leakage";
            if (validation == null) {
                skip(id, Level.CODE, "no validation iterator given");
                return;
            }
            if (!needData(id, Level.CODE)) {
                return;
            }
            DataScan val = DataScan.scan(validation, config.maxBatches(), config.labelTolerance(), projector);
            if (val.error != null) {
                skip(id, Level.CODE, "the validation iterator failed: " + val.error);
                return;
            }
            if (val.projections.isEmpty() || trainScan.projections.isEmpty()) {
                skip(id, Level.CODE, "no comparable finite examples (validation examples: " + val.examples
                        + ", features per example " + val.featuresPerExample + " vs " + trainScan.featuresPerExample
                        + ")");
                return;
            }
            double[][] trainKeys = trainScan.projections.toArray(new double[0][]);
            Arrays.sort(trainKeys, Comparator.comparingDouble(p -> p[0]));
            double[] firstCoordinates = new double[trainKeys.length];
            for (int i = 0; i < trainKeys.length; i++) {
                firstCoordinates[i] = trainKeys[i][0];
            }
            long overlap = 0;
            for (double[] v : val.projections) {
                if (containsNear(trainKeys, firstCoordinates, v)) {
                    overlap++;
                }
            }
            double fraction = overlap / (double) val.projections.size();
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("trainExamplesHashed", (double) trainKeys.length);
            ev.put("validationExamplesHashed", (double) val.projections.size());
            ev.put("overlapping", (double) overlap);
            ev.put("overlapFraction", fraction);
            if (overlap > 0) {
                Finding.Builder b = Finding.builder(Symptom.DATA_LEAKAGE, fraction >= 0.01 ? Severity.ERROR
                        : Severity.WARN, String.format(java.util.Locale.ROOT, "%d of %d validation examples (%.1f%%)"
                                + " also appear in the training set: validation scores are optimistic", overlap,
                        val.projections.size(), 100 * fraction));
                b.evidence(ev);
                b.suggest("split before any augmentation or oversampling, and deduplicate: split by a stable id "
                                + "(e.g. DataSet.splitTestAndTrain after removing duplicates)",
                        "for grouped data (same patient, same session) split by group, not by example");
                problem(id, fraction >= 0.01 ? CheckStatus.FAIL : CheckStatus.WARN, b.build());
                return;
            }
            pass(id, Level.CODE, "no validation example among the first " + val.projections.size()
                    + " appears in the first " + trainKeys.length + " training examples", ev);
        }

        private boolean containsNear(double[][] sorted, double[] firstCoordinates, double[] v) {
            double tol0 = LEAK_TOLERANCE * (1 + Math.abs(v[0]));
            int i = Arrays.binarySearch(firstCoordinates, v[0] - tol0);
            i = i < 0 ? -i - 1 : i;
            for (; i < sorted.length && sorted[i][0] <= v[0] + tol0; i++) {
                if (Math.abs(sorted[i][1] - v[1]) <= LEAK_TOLERANCE * (1 + Math.abs(v[1]))) {
                    return true;
                }
            }
            return false;
        }

        // ---------------------------------------------------------------- model

        private void forward() {
            String id = "model.forward";
            if (!needData(id, Level.CODE)) {
                return;
            }
            if (ops.inputCount() != 1 || ops.outputCount() != 1) {
                skip(id, Level.CODE, "the graph has " + ops.inputCount() + " inputs and " + ops.outputCount()
                        + " outputs; the checklist runs single-input single-output networks");
                return;
            }
            INDArray out;
            try {
                out = ops.copy().output(first.getFeatures());
            } catch (RuntimeException e) {
                problem(id, CheckStatus.FAIL, Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR,
                                "the forward pass fails on a minibatch of shape "
                                        + Arrays.toString(first.getFeatures().shape()) + ": " + e.getMessage())
                        .suggest("check nIn of the first layer and the input type: "
                                + ".setInputType(InputType.feedForward(n) / convolutional(h, w, c)) on the list "
                                + "builder adds the right pre-processors")
                        .build());
                return;
            }
            long[] outShape = out.shape();
            long[] labelShape = first.getLabels() == null ? null : first.getLabels().shape();
            OutputSetup setup = outputSetup();
            boolean sparse = setup != null && setup.loss instanceof LossSparseMCXENT;
            boolean matches = labelShape == null || (sparse ? labelShape[0] == outShape[0]
                    : Arrays.equals(outShape, labelShape));
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("outputColumns", outShape.length > 1 ? (double) outShape[1] : 1.0);
            ev.put("labelColumns", labelShape == null || labelShape.length < 2 ? 1.0 : (double) labelShape[1]);
            ev.put("outputNonFinite", (double) io.dl4jdebug.measure.NonFiniteProbe.count(out));
            if (!matches) {
                Finding.Builder b = Finding.builder(Symptom.SHAPE_MISMATCH, Severity.ERROR, "the output has shape "
                                + Arrays.toString(outShape) + " but the labels have shape "
                                + Arrays.toString(labelShape))
                        .layer(setup == null ? null : setup.name);
                b.evidence(ev);
                b.suggest("set the output layer's nOut to the number of label columns (classes)",
                        "one-hot encode class indices, or use LossFunction.SPARSE_MCXENT for index labels");
                problem(id, CheckStatus.FAIL, b.build());
                return;
            }
            forwardOk = true;
            pass(id, Level.CODE, "the forward pass runs; output shape " + Arrays.toString(outShape)
                    + " matches the labels", ev);
        }

        private void lossOutputFit() {
            String id = "loss.output-fit";
            OutputSetup out = outputSetup();
            if (out == null || out.loss == null) {
                skip(id, Level.CODE, "no output layer with a loss function found");
                return;
            }
            String act = out.activation == null ? "none" : out.activation.toString();
            String loss = out.loss.getClass().getSimpleName();
            long classes = out.nOut;
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("nOut", (double) classes);
            boolean regressionLoss = out.loss instanceof LossL2 || out.loss instanceof LossL1
                    || out.loss instanceof LossMSLE || out.loss instanceof LossMAPE || out.loss instanceof LossHinge
                    || out.loss instanceof LossSquaredHinge;
            if (out.isSoftmax() && regressionLoss) {
                problem(id, CheckStatus.WARN, finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.WARN, out.name,
                        "softmax output trained with " + loss + ": the gradient vanishes as the softmax saturates "
                                + "and classes compete through the normalization; use cross-entropy", ev,
                        "new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)",
                        "for regression use Activation.IDENTITY with LossFunction.MSE"));
                return;
            }
            if (out.isSoftmax() && classes == 1) {
                problem(id, CheckStatus.FAIL, finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name,
                        "softmax over a single output is always 1: the network cannot learn anything", ev,
                        "binary classification: .nOut(1).activation(Activation.SIGMOID) with LossFunction.XENT, or "
                                + ".nOut(2).activation(Activation.SOFTMAX) with LossFunction.MCXENT"));
                return;
            }
            if (out.loss instanceof LossMCXENT && !(out.loss instanceof LossSparseMCXENT) && !out.isSoftmax()) {
                if (out.activation instanceof ActivationSigmoid && classes > 1 && trainScan.labelRows > 0
                        && trainScan.labelRowsNotSummingToOne == 0) {
                    problem(id, CheckStatus.FAIL, finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name,
                            "sigmoid outputs with multi-class cross-entropy (" + loss + ") on one-hot labels: "
                                    + "the loss only pushes the true class up, nothing pushes the others down", ev,
                            ".activation(Activation.SOFTMAX) for single-label classes, or "
                                    + "LossFunction.XENT for independent (multi-label) sigmoid outputs"));
                    return;
                }
                if (!(out.activation instanceof ActivationSigmoid)) {
                    problem(id, CheckStatus.FAIL, finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name,
                            "cross-entropy (" + loss + ") on " + act + " outputs, which are not probabilities: "
                                    + "log of non-positive values gives NaN", ev,
                            ".activation(Activation.SOFTMAX) on the output layer"));
                    return;
                }
            }
            if (out.loss instanceof LossBinaryXENT && !(out.activation instanceof ActivationSigmoid)
                    && !out.isSoftmax()) {
                problem(id, CheckStatus.FAIL, finding(Symptom.LOSS_OUTPUT_MISMATCH, Severity.ERROR, out.name,
                        "binary cross-entropy on " + act + " outputs, which are not in (0, 1): log of values "
                                + "outside (0, 1) gives NaN", ev, ".activation(Activation.SIGMOID) on the output layer"));
                return;
            }
            pass(id, Level.CODE, "output " + act + " with " + loss + " fit together", ev);
        }

        private void initLoss() {
            String id = "loss.init";
            if (!needData(id, Level.CODE)) {
                return;
            }
            OutputSetup out = outputSetup();
            if (out == null || !(out.loss instanceof LossMCXENT) || !out.isSoftmax() || out.nOut < 2) {
                skip(id, Level.CODE, "the expected initial loss ln(C) applies to a softmax with cross-entropy");
                return;
            }
            if (!forwardOk) {
                skip(id, Level.CODE, "the forward pass did not run (see model.forward)");
                return;
            }
            NetworkOps copy = ops.copy();
            double loss = copy.dataLoss(first);
            double expected = Math.log(out.nOut);
            double deviation = Math.abs(loss - expected) / expected;
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("initialLoss", loss);
            ev.put("expectedLnC", expected);
            ev.put("relativeDeviation", deviation);
            ev.put("tolerance", config.initLossTolerance());
            if (!Double.isFinite(loss) || deviation > config.initLossTolerance()) {
                Finding.Builder b = Finding.builder(Symptom.INIT_LOSS_UNEXPECTED, Double.isFinite(loss)
                                ? Severity.WARN : Severity.ERROR, String.format(java.util.Locale.ROOT,
                                "the loss at initialization is %.4g, expected about ln(%d) = %.4g for a %d-class "
                                        + "softmax (relative deviation %.3g > %.3g)", loss, out.nOut, expected,
                                out.nOut, deviation, config.initLossTolerance()))
                        .layer(out.name);
                b.evidence(ev);
                b.suggest("initialize the output layer small: .weightInit(WeightInit.XAVIER) and .biasInit(0)",
                        "check that features are normalized (large inputs give confident, wrong initial outputs)");
                problem(id, Double.isFinite(loss) ? CheckStatus.WARN : CheckStatus.FAIL, b.build());
                return;
            }
            pass(id, Level.CODE, String.format(java.util.Locale.ROOT, "initial loss %.4g is near ln(%d) = %.4g", loss,
                    out.nOut, expected), ev);
        }

        private void gradientsReachParameters() {
            String id = "gradients.reach-parameters";
            if (!needData(id, Level.CODE)) {
                return;
            }
            if (!forwardOk) {
                skip(id, Level.CODE, "the forward pass did not run (see model.forward)");
                return;
            }
            NetworkOps copy = ops.copy();
            copy.computeGradient(first);
            ModelView copyView = copy.view();
            List<Finding> found = new ArrayList<>();
            int checked = 0;
            for (ParameterInfo p : copyView.parameters()) {
                if (!p.isTrainable() || p.length() == 0) {
                    continue;
                }
                checked++;
                double norm = copyView.gradientArray(p).map(g -> g.norm2Number().doubleValue()).orElse(0.0);
                if (norm == 0.0) {
                    missingGradients.add(p.flatKey());
                    found.add(Finding.builder(Symptom.GRADIENT_MISSING, Severity.ERROR, "parameter "
                                    + p.displayName() + " receives a zero gradient on a whole minibatch")
                            .layer(p.layer()).parameter(p.key())
                            .evidence("gradientNorm", norm).evidence("length", p.length())
                            .suggest("check that the layer is connected to the output (ComputationGraph inputs)",
                                    "a layer below a BatchNormalization with lockGammaBeta(true) and gamma 0, or "
                                            + "dead ReLUs (large negative biasInit), blocks all gradient: "
                                            + "fix that layer",
                                    "if the layer should not learn, wrap it in FrozenLayer so the intent is explicit")
                            .build());
                }
            }
            if (!found.isEmpty()) {
                problem(id, CheckStatus.FAIL, found.size() + " of " + checked + " trainable parameters receive no "
                        + "gradient: " + found.stream().map(f -> f.location().orElse(""))
                        .collect(Collectors.joining(", ")), found);
                return;
            }
            pass(id, Level.CODE, "all " + checked + " trainable parameters receive a non-zero gradient",
                    Map.of("parameters", (double) checked));
        }

        private void parametersUpdate() {
            String id = "parameters.update";
            if (!needData(id, Level.OPTIMIZATION)) {
                return;
            }
            if (!forwardOk) {
                skip(id, Level.OPTIMIZATION, "the forward pass did not run (see model.forward)");
                return;
            }
            NetworkOps copy = ops.copy();
            ModelView copyView = copy.view();
            Map<ParameterInfo, INDArray> before = new LinkedHashMap<>();
            for (ParameterInfo p : copyView.parameters()) {
                if (p.isTrainable() && p.length() > 0) {
                    before.put(p, copyView.parameterArray(p).dup());
                }
            }
            copy.fit(first);
            List<Finding> found = new ArrayList<>();
            int alreadyMissing = 0;
            for (Map.Entry<ParameterInfo, INDArray> e : before.entrySet()) {
                ParameterInfo p = e.getKey();
                double change = copyView.parameterArray(p).sub(e.getValue()).norm2Number().doubleValue();
                if (change == 0.0) {
                    if (missingGradients.contains(p.flatKey())) {
                        alreadyMissing++;
                        continue;
                    }
                    found.add(Finding.builder(Symptom.WEIGHTS_NOT_UPDATING, Severity.ERROR, "parameter "
                                    + p.displayName() + " did not change after one training step although it has "
                                    + "a gradient")
                            .layer(p.layer()).parameter(p.key()).evidence("changeNorm", change)
                            .suggest("check the updater of this layer: NoOp or a learning rate of 0 never update",
                                    "check gradient normalization / clipping thresholds of 0")
                            .build());
                }
            }
            if (!found.isEmpty()) {
                problem(id, CheckStatus.FAIL, found.size() + " of " + before.size() + " trainable parameters did "
                        + "not change after one step: " + found.stream().map(f -> f.location().orElse(""))
                        .collect(Collectors.joining(", ")), found);
                return;
            }
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("parameters", (double) before.size());
            ev.put("unchangedWithoutGradient", (double) alreadyMissing);
            pass(id, Level.OPTIMIZATION, "every trainable parameter with a gradient changed after one step"
                    + (alreadyMissing > 0 ? " (" + alreadyMissing + " without gradient: see "
                    + "gradients.reach-parameters)" : ""), ev);
        }

        // ---------------------------------------------------------------- configuration

        private void dropout() {
            String id = "config.dropout";
            List<Finding> found = new ArrayList<>();
            int withDropout = 0;
            for (Map.Entry<String, Layer> e : confs.entrySet()) {
                Layer inner = ModelView.innermost(e.getValue());
                IDropout d = inner.getIDropout();
                double retain;
                if (d instanceof Dropout) {
                    Dropout dd = (Dropout) d;
                    retain = dd.getPSchedule() != null ? dd.getPSchedule().valueAt(0, 0) : dd.getP();
                } else if (d instanceof SpatialDropout) {
                    SpatialDropout sd = (SpatialDropout) d;
                    retain = sd.getPSchedule() != null ? sd.getPSchedule().valueAt(0, 0) : sd.getP();
                } else {
                    continue;
                }
                withDropout++;
                if (retain < config.minDropoutRetain()) {
                    found.add(Finding.builder(Symptom.DROPOUT_MISCONFIGURED, Severity.WARN, String.format(
                                    java.util.Locale.ROOT, "layer %s keeps only %.0f%% of its input activations: "
                                            + "DL4J's dropOut(p) is the probability to RETAIN, so dropOut(%.2g) drops "
                                            + "%.0f%%", e.getKey(), 100 * retain, retain, 100 * (1 - retain)))
                            .layer(e.getKey()).evidence("retainProbability", retain)
                            .evidence("minDropoutRetain", config.minDropoutRetain())
                            .suggest(String.format(java.util.Locale.ROOT, "to drop %.0f%%, write .dropOut(%s)",
                                    100 * retain, new java.math.BigDecimal(1 - retain)
                                            .round(new java.math.MathContext(3)).stripTrailingZeros()
                                            .toPlainString()))
                            .build());
                }
            }
            if (!found.isEmpty()) {
                problem(id, CheckStatus.WARN, found.size() + " layers keep less than "
                        + (int) (100 * config.minDropoutRetain()) + "% of their activations: "
                        + found.stream().map(Finding::layer).collect(Collectors.joining(", ")), found);
                return;
            }
            pass(id, Level.CODE, withDropout == 0 ? "no dropout configured"
                    : withDropout + " layers with dropout, all retain probabilities plausible",
                    Map.of("layersWithDropout", (double) withDropout));
        }

        private void batchNorm() {
            String id = "config.batchnorm";
            Map<String, BatchNormalization> bns = new LinkedHashMap<>();
            for (Map.Entry<String, Layer> e : confs.entrySet()) {
                if (ModelView.innermost(e.getValue()) instanceof BatchNormalization) {
                    bns.put(e.getKey(), (BatchNormalization) ModelView.innermost(e.getValue()));
                }
            }
            if (bns.isEmpty()) {
                pass(id, Level.CODE, "no BatchNormalization layer", Map.of("batchNormLayers", 0.0));
                return;
            }
            List<Finding> found = new ArrayList<>();
            List<String> zeroGamma = new ArrayList<>();
            for (Map.Entry<String, BatchNormalization> e : bns.entrySet()) {
                BatchNormalization bn = e.getValue();
                if (bn.isLockGammaBeta() && bn.getGamma() == 0.0) {
                    found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.ERROR, "BatchNormalization "
                                    + e.getKey() + " has lockGammaBeta(true) with gamma 0: backpropagation multiplies "
                                    + "by gamma, so no layer below it learns" + (bn.getBeta() != 0.0
                                    ? ", and its output is the constant beta " + bn.getBeta() : ""))
                            .layer(e.getKey()).evidence("gamma", bn.getGamma()).evidence("beta", bn.getBeta())
                            .evidence("lockGammaBeta", 1.0)
                            .suggest("remove lockGammaBeta(true), or lock gamma at 1: new BatchNormalization"
                                    + ".Builder(1.0, 0.0, true)")
                            .build());
                } else if (!bn.isLockGammaBeta() && bn.getGamma() == 0.0) {
                    zeroGamma.add(e.getKey());
                }
                if (bn.getDecay() >= 1.0) {
                    found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, "BatchNormalization "
                                    + e.getKey() + " has decay " + bn.getDecay() + ": its running mean and variance "
                                    + "never update, so inference (evaluation, score) uses the initial 0/1 statistics")
                            .layer(e.getKey()).evidence("decay", bn.getDecay())
                            .suggest(".decay(0.9) (DL4J's default) on the BatchNormalization builder").build());
                }
            }
            if (!zeroGamma.isEmpty() && zeroGamma.size() == bns.size()) {
                String first = zeroGamma.get(0);
                found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.ERROR, "every "
                                + "BatchNormalization layer (" + String.join(", ", zeroGamma) + ") starts with gamma 0:"
                                + " each normalizes to a constant, so the network's output is constant and the loss "
                                + "stays at its initial value")
                        .layer(first).evidence("layersWithGammaZero", zeroGamma.size())
                        .evidence("batchNormLayers", bns.size())
                        .suggest("keep gamma(1.0) (the default); zero-init gamma only on the LAST BatchNormalization"
                                + " of each residual branch")
                        .build());
            }
            int batch = first == null ? -1 : first.numExamples();
            if (batch == 1) {
                found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, "minibatches of 1 "
                                + "example with BatchNormalization: batch statistics of one example normalize every "
                                + "activation to beta")
                        .layer(bns.keySet().iterator().next()).evidence("batchSize", batch)
                        .suggest("use minibatches of at least 8-16 examples, or remove BatchNormalization").build());
            }
            if (!found.isEmpty()) {
                boolean error = found.stream().anyMatch(f -> f.severity() == Severity.ERROR);
                problem(id, error ? CheckStatus.FAIL : CheckStatus.WARN, found.stream().map(Finding::message)
                        .collect(Collectors.joining("; ")), found);
                return;
            }
            pass(id, Level.CODE, bns.size() + " BatchNormalization layers configured plausibly"
                            + (zeroGamma.isEmpty() ? "" : " (gamma 0 on " + zeroGamma + " only: zero-init residual)"),
                    Map.of("batchNormLayers", (double) bns.size(), "batchSize", (double) batch));
        }

        private void learningRate() {
            String id = "optimizer.learning-rate";
            Map<String, List<String>> layersByUpdater = new LinkedHashMap<>();
            Map<String, IUpdater> updaters = new HashMap<>();
            for (Map.Entry<String, Layer> e : confs.entrySet()) {
                Layer inner = ModelView.innermost(e.getValue());
                if (!(inner instanceof BaseLayer) || ((BaseLayer) inner).getIUpdater() == null) {
                    continue;
                }
                if (view.layer(e.getKey()).map(l -> l.parameters().isEmpty()).orElse(true)) {
                    continue;
                }
                IUpdater u = ((BaseLayer) inner).getIUpdater();
                layersByUpdater.computeIfAbsent(u.toString(), k -> new ArrayList<>()).add(e.getKey());
                updaters.putIfAbsent(u.toString(), u);
            }
            List<Finding> found = new ArrayList<>();
            double minSeen = Double.POSITIVE_INFINITY;
            double maxSeen = 0;
            for (Map.Entry<String, List<String>> e : layersByUpdater.entrySet()) {
                IUpdater u = updaters.get(e.getKey());
                String layers = String.join(", ", e.getValue());
                String first = e.getValue().get(0);
                if (u instanceof NoOp) {
                    found.add(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.ERROR, "layers " + layers
                                    + " use the NoOp updater: their parameters never change")
                            .layer(first).evidence("learningRate", 0)
                            .suggest(".updater(new Adam(1e-3))").build());
                    continue;
                }
                if (!u.hasLearningRate()) {
                    continue;
                }
                double lr = u.getLearningRate(0, 0);
                boolean adaptive = u instanceof Adam || u instanceof AdaMax || u instanceof Nadam
                        || u instanceof AMSGrad || u instanceof RmsProp || u instanceof AdaGrad
                        || u instanceof AdaBelief;
                double max = adaptive ? config.maxAdaptiveLearningRate() : config.maxSgdLearningRate();
                minSeen = Math.min(minSeen, lr);
                maxSeen = Math.max(maxSeen, lr);
                String updaterName = u.getClass().getSimpleName();
                if (lr > max) {
                    found.add(Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, String.format(
                                    java.util.Locale.ROOT, "%s learning rate %.3g on layers %s is above the plausible"
                                            + " maximum %.3g", updaterName, lr, layers, max))
                            .layer(first).evidence("learningRate", lr).evidence("maxLearningRate", max)
                            .suggest(adaptive ? ".updater(new " + updaterName + "(1e-3))"
                                    : ".updater(new Sgd(0.01)) or .updater(new Adam(1e-3))")
                            .build());
                } else if (lr < config.minLearningRate()) {
                    found.add(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, String.format(
                                    java.util.Locale.ROOT, "%s learning rate %.3g on layers %s is below the plausible"
                                            + " minimum %.3g", updaterName, lr, layers, config.minLearningRate()))
                            .layer(first).evidence("learningRate", lr)
                            .evidence("minLearningRate", config.minLearningRate())
                            .suggest(".updater(new Adam(1e-3))").build());
                }
            }
            if (!found.isEmpty()) {
                problem(id, CheckStatus.WARN, found.stream().map(Finding::message).collect(Collectors.joining("; ")),
                        found);
                return;
            }
            Map<String, Double> ev = new LinkedHashMap<>();
            if (maxSeen > 0) {
                ev.put("minLearningRate", minSeen);
                ev.put("maxLearningRate", maxSeen);
            }
            if (first != null) {
                ev.put("batchSize", (double) first.numExamples());
            }
            pass(id, Level.OPTIMIZATION, "learning rates plausible: " + layersByUpdater.keySet(), ev);
        }

        // ---------------------------------------------------------------- environment

        private void seed() {
            String id = "env.seed";
            long seed = ops.configuredSeed();
            long now = System.currentTimeMillis();
            if (seed > now - TEN_YEARS_MS && seed < now + 24L * 3600 * 1000) {
                problem(id, CheckStatus.WARN, Finding.builder(Symptom.NONDETERMINISTIC, Severity.WARN,
                                "the configuration's seed " + seed + " looks like DL4J's default (the time the "
                                        + "configuration was built): weights differ on every run")
                        .evidence("seed", seed)
                        .suggest("new NeuralNetConfiguration.Builder().seed(42)", "Nd4j.getRandom().setSeed(42) before "
                                + "building iterators that shuffle")
                        .build());
                return;
            }
            pass(id, Level.CODE, "the configuration has a fixed seed (" + seed + ")", Map.of("seed", (double) seed));
        }

        private void determinism() {
            String id = "env.determinism";
            if (!needData(id, Level.CODE)) {
                return;
            }
            if (!forwardOk) {
                skip(id, Level.CODE, "the forward pass did not run (see model.forward)");
                return;
            }
            NetworkOps a = ops.copy();
            NetworkOps b = ops.copy();
            for (NetworkOps copy : List.of(a, b)) {
                Nd4j.getRandom().setSeed(config.seed());
                for (int i = 0; i < config.determinismSteps(); i++) {
                    copy.fit(first);
                }
            }
            double maxDiff = a.model().params().sub(b.model().params()).amaxNumber().doubleValue();
            Map<String, Double> ev = new LinkedHashMap<>();
            ev.put("maxAbsParameterDifference", maxDiff);
            ev.put("steps", (double) config.determinismSteps());
            if (maxDiff != 0.0) {
                Finding.Builder fb = Finding.builder(Symptom.NONDETERMINISTIC, Severity.WARN, String.format(
                        java.util.Locale.ROOT, "two runs of %d steps from the same parameters and seed differ by up "
                                + "to %.3g in the parameters", config.determinismSteps(), maxDiff));
                fb.evidence(ev);
                fb.suggest("set Nd4j.getRandom().setSeed(seed) before each run; on CUDA, cuDNN algorithms can be "
                                + "non-deterministic",
                        "avoid parallel data pipelines with shared random state (AsyncDataSetIterator with "
                                + "random augmentation)");
                problem(id, CheckStatus.WARN, fb.build());
                return;
            }
            pass(id, Level.CODE, "two repeated runs of " + config.determinismSteps() + " steps are bit-identical", ev);
        }

        private Finding finding(Symptom symptom, Severity severity, String layer, String message,
                                Map<String, Double> evidence, String... suggestions) {
            Finding.Builder b = Finding.builder(symptom, severity, message).layer(layer);
            b.evidence(evidence);
            return b.suggest(suggestions).build();
        }
    }

    /** The output layer's name, activation, loss and width. */
    private record OutputSetup(String name, IActivation activation, ILossFunction loss, long nOut) {
        boolean isSoftmax() {
            return activation instanceof ActivationSoftmax;
        }
    }
}
