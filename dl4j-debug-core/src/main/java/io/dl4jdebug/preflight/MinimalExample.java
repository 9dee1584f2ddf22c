package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.NetworkOps;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The method's minimal reproducible example (section 3.2) and layer bisection (the case study's steps 3 and 4).
 *
 * <p>Takes the first few examples (10 by default), fixes ND4J's seed and trains a copy of the network on them for a
 * bounded number of steps. A network that is wired and initialised correctly memorizes them: its loss falls near
 * zero. When it does not, bisection builds simplified versions (the first k {@link Segment}s with a fresh output head
 * like the original's: a prefix of the layers of a MultiLayerNetwork, the residual blocks and layers of a
 * ComputationGraph up to a vertex every path passes through), trains each the same way, and binary-searches the first
 * segment whose addition stops learning. It assumes that once a broken segment is added, every longer prefix fails
 * too; each trial is reported so the assumption can be checked. A run stops early once its loss reaches the target,
 * or, past half its budget, once even its latest rate of decrease could not reach the target in the steps left.
 *
 * <p>The user's network is never modified. ND4J's global random generator is re-seeded before each run. Not thread
 * safe.
 */
public final class MinimalExample {

    private static final Logger LOG = LoggerFactory.getLogger(MinimalExample.class);

    private final OverfitConfig config;

    /**
     * @param config examples, steps and targets
     */
    public MinimalExample(OverfitConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
    }

    /** @return a minimal example with the default configuration */
    public static MinimalExample withDefaults() {
        return new MinimalExample(OverfitConfig.defaults());
    }

    /**
     * Runs on the first examples of an iterator (reset before and after when it supports it).
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @param data  the training data
     * @return the report
     */
    public MinimalExampleReport run(Model model, DataSetIterator data) {
        Objects.requireNonNull(data, "data iterator must not be null");
        List<DataSet> batches = new ArrayList<>();
        int n = 0;
        if (data.resetSupported()) {
            data.reset();
        }
        while (n < config.examples() && data.hasNext()) {
            DataSet b = data.next();
            batches.add(b.copy());
            n += b.numExamples();
        }
        if (data.resetSupported()) {
            data.reset();
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("the data iterator produced no examples; the minimal example needs "
                    + config.examples());
        }
        return run(model, batches.size() == 1 ? batches.get(0) : DataSet.merge(batches));
    }

    /**
     * Runs on the first examples of a dataset.
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @param data  the data; its first {@code examples} examples are used
     * @return the report
     */
    public MinimalExampleReport run(Model model, DataSet data) {
        Objects.requireNonNull(model, "model must not be null");
        Objects.requireNonNull(data, "data must not be null");
        if (data.numExamples() == 0) {
            throw new IllegalArgumentException("data has no examples; the minimal example needs " + config.examples());
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            NetworkOps ops = NetworkOps.of(model);
            DataSet tiny = Examples.first(data, config.examples(), null);
            OverfitResult full = overfit(ops.copy(), tiny);
            if (full.overfits()) {
                return new MinimalExampleReport(full, List.of(), List.of(), null,
                        "the network memorizes the examples: the code level is sound, look at numerics and "
                                + "optimization next", List.of());
            }
            return bisect(ops, tiny, full);
        }
    }

    private MinimalExampleReport bisect(NetworkOps ops, DataSet tiny, OverfitResult full) {
        String outputLayer = ops.view().outputLayerName();
        List<Segment> segments;
        InputType inputType;
        try {
            segments = Truncation.segments(ops);
            inputType = NetworkOps.inputTypeOf(tiny.getFeatures());
        } catch (IllegalArgumentException e) {
            String note = "bisection did not run: " + e.getMessage();
            return new MinimalExampleReport(full, List.of(), List.of(), null, note,
                    List.of(finding(full, null, outputLayer, note)));
        }
        List<BisectionTrial> trials = new ArrayList<>();
        Map<Integer, Boolean> passes = new HashMap<>();
        try {
            int lo = 0;
            if (!trial(ops, segments, 0, inputType, tiny, trials, passes)) {
                // A sequence task (a running sum, a label at the last step) may need memory: a head on the inputs
                // alone cannot learn it, so for a recurrent first segment that segment is the baseline instead.
                boolean recurrentFirst = !segments.isEmpty() && segments.get(0).members().stream()
                        .anyMatch(n -> ops.view().layer(n).map(l -> RECURRENT.contains(l.type())).orElse(false));
                if (!recurrentFirst || !trial(ops, segments, 1, inputType, tiny, trials, passes)) {
                    String note = "even a fresh output layer directly on the inputs cannot memorize "
                            + full.examples() + " examples: suspect the data, the labels or the loss, not the hidden "
                            + "layers" + (recurrentFirst ? " (nor can the first recurrent segment "
                            + segments.get(0).describe() + " with a fresh head)" : "");
                    return new MinimalExampleReport(full, segments, trials, null, note,
                            List.of(finding(full, null, outputLayer, note)));
                }
                lo = 1;
            }
            int hi = segments.size() + 1; // the full network, known to fail
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (trial(ops, segments, mid, inputType, tiny, trials, passes)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if (hi == segments.size() + 1) {
                String note = "every hidden segment with a fresh output head memorizes the examples, the original "
                        + "output layer '" + outputLayer + "' does not: check its loss, activation, initialization "
                        + "and updater";
                return new MinimalExampleReport(full, segments, trials, null, note,
                        List.of(finding(full, null, outputLayer, note)));
            }
            Segment culprit = segments.get(hi - 1);
            String note = "learning stops when " + culprit.describe() + " is added: the first " + (hi - 1)
                    + " segments with a fresh head memorize the examples, the first " + hi + " do not";
            return new MinimalExampleReport(full, segments, trials, culprit, note,
                    List.of(finding(full, culprit, culprit.name(), note)));
        } catch (RuntimeException e) {
            LOG.warn("bisection failed to build or train a simplified network", e);
            String note = "bisection stopped: a simplified network could not be built or trained: " + e;
            return new MinimalExampleReport(full, segments, trials, null, note,
                    List.of(finding(full, null, outputLayer, note)));
        }
    }

    /** DL4J's recurrent layer types (innermost configuration class names). */
    private static final java.util.Set<String> RECURRENT = java.util.Set.of("LSTM", "GravesLSTM",
            "GravesBidirectionalLSTM", "SimpleRnn", "Bidirectional");

    private boolean trial(NetworkOps ops, List<Segment> segments, int kept, InputType inputType, DataSet tiny,
                          List<BisectionTrial> trials, Map<Integer, Boolean> passes) {
        Boolean known = passes.get(kept);
        if (known != null) {
            return known;
        }
        Nd4j.getRandom().setSeed(config.seed());
        NetworkOps simplified = Truncation.prefix(ops, segments, kept, inputType, config.seed());
        OverfitResult r = overfit(simplified, tiny);
        trials.add(new BisectionTrial(kept, kept == 0 ? null : segments.get(kept - 1), r));
        passes.put(kept, r.overfits());
        return r.overfits();
    }

    /**
     * Trains a network (modified in place: pass a copy) on a tiny dataset.
     *
     * @param net  the network
     * @param tiny the examples
     * @return how it did
     */
    OverfitResult overfit(NetworkOps net, DataSet tiny) {
        Nd4j.getRandom().setSeed(config.seed());
        double initial = net.dataLoss(tiny);
        double target = config.target(initial);
        double current = initial;
        double previous = initial;
        int steps = 0;
        while (steps < config.maxSteps()) {
            net.fit(tiny);
            steps++;
            if (steps % config.checkEvery() == 0 || steps == config.maxSteps()) {
                current = net.dataLoss(tiny);
                if (!Double.isFinite(current) || current <= target || hopeless(steps, previous, current, target)) {
                    break;
                }
                previous = current;
            }
        }
        return new OverfitResult(tiny.numExamples(), steps, initial, current, target);
    }

    /**
     * Past half the budget, a run stops when even the decrease of the last check interval, kept up for every
     * remaining step, would not reach the target (loss curves flatten, so this extrapolation is optimistic).
     */
    private boolean hopeless(int steps, double previous, double current, double target) {
        if (steps * 2 < config.maxSteps()) {
            return false;
        }
        double ratePerStep = (previous - current) / config.checkEvery();
        return current - ratePerStep * (config.maxSteps() - steps) > target;
    }

    private Finding finding(OverfitResult full, Segment culprit, String layer, String note) {
        Finding.Builder b = Finding.builder(Symptom.CANNOT_OVERFIT_SMALL_BATCH, Severity.ERROR, String.format(
                        Locale.ROOT, "the network cannot memorize %d examples: loss %.4g -> %.4g in %d steps (target "
                                + "%.4g); %s", full.examples(), full.initialLoss(), full.finalLoss(), full.steps(),
                        full.targetLoss(), note))
                .layer(layer)
                .evidence("examples", full.examples()).evidence("steps", full.steps())
                .evidence("initialLoss", full.initialLoss()).evidence("finalLoss", full.finalLoss())
                .evidence("targetLoss", full.targetLoss());
        if (culprit != null) {
            b.evidence("segmentIndex", culprit.index()).evidence("segmentMembers", culprit.members().size())
                    .suggest("inspect " + culprit.describe() + ": activation, weightInit/biasInit (dead ReLUs from "
                                    + "a large negative bias), BatchNormalization gamma/lockGammaBeta, frozen layers",
                            "run the quick checklist (QuickChecklist) for missing gradients and configuration checks",
                            "remove or replace that segment and run the minimal example again");
        } else {
            b.suggest("run the quick checklist (QuickChecklist): labels, loss/activation fit and missing gradients",
                    "raise OverfitConfig.maxSteps or the learning rate if the loss is still falling");
        }
        return b.build();
    }
}
