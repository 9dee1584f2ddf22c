package io.dl4jdebug.ui.recorded;

import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.GradientNormRule;
import io.dl4jdebug.diagnose.LayerFacts;
import io.dl4jdebug.diagnose.LossCurveRule;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.diagnose.UpdateRatioRule;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ParameterInfo;
import io.dl4jdebug.preflight.ChecklistConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Runs every rule a StatsListener recording supports over its reports, in iteration order, and says which checks ran:
 * <ul>
 *   <li>the score curve through core's {@link LossCurveRule}, its windows and patience scaled to the reporting
 *   frequency ({@link #lossConfig(int)}), a NaN/infinite score, and a loss that diverged before the first report
 *   (a softmax classifier's first recorded score above twice ln(C), its loss when freshly initialised; StatsListener
 *   reporting every N &gt; 1 iterations skips iteration 0);</li>
 *   <li>per parameter, the update:parameter ratio and the per-example gradient norm estimated from the stored mean
 *   magnitudes ({@link MeanMagnitudes}), judged by core's {@link UpdateRatioRule} and {@link GradientNormRule} with
 *   their default thresholds; non-finite parameter, gradient and update statistics;</li>
 *   <li>the learning rates StatsListener stored per parameter against the plausible range of their updater (the
 *   quick checklist's bounds, {@link ChecklistConfig});</li>
 *   <li>activations: a non-finite layer output, and a ReLU layer whose whole output is 0 (mean magnitude exactly 0)
 *   on {@value #DEAD_LAYER_PATIENCE} consecutive reports, which is every unit dead. Dead or saturated units one by
 *   one cannot be judged: StatsListener keeps one mean, standard deviation, mean magnitude and histogram per layer,
 *   over all units and examples together, never per unit.</li>
 * </ul>
 * Not thread safe; one instance judges one run.
 */
public final class RecordedRules {

    /** Consecutive reports a ReLU layer's output must be all zeros before it is called dead. */
    public static final int DEAD_LAYER_PATIENCE = 2;

    private static final Set<String> ADAPTIVE = Set.of("Adam", "AdaMax", "Nadam", "AMSGrad", "RmsProp", "AdaGrad",
            "AdaBelief");

    private final RecordedRun run;
    private final List<Finding> findings = new ArrayList<>();
    private final List<RecordedCheck> checks = new ArrayList<>();

    private RecordedRules(RecordedRun run) {
        this.run = run;
    }

    /** The rules' verdicts and the checks that ran or could not. */
    record Result(List<Finding> findings, List<RecordedCheck> checks) {
    }

    /**
     * @param run a recorded run
     * @return the findings (in the order the rules produced them) and the checks
     */
    static Result judge(RecordedRun run) {
        RecordedRules r = new RecordedRules(run);
        r.score();
        r.parameters();
        r.learningRates();
        r.activations();
        return new Result(List.copyOf(r.findings), List.copyOf(r.checks));
    }

    /**
     * The loss rule's configuration for a run reported every {@code frequency} iterations: the live rule counts
     * scores, one per iteration; a recording has one score per report, so its windows and patience are divided by the
     * frequency (so that they span about as many iterations as live), but never below 3 scores per window and 2 for
     * the divergence patience: a single minibatch's score is noisy. Thresholds and warm-up are unchanged.
     *
     * @param frequency the reporting frequency, at least 1
     * @return the configuration
     */
    public static RuleConfig lossConfig(int frequency) {
        if (frequency < 1) {
            throw new IllegalArgumentException("frequency must be >= 1 but was " + frequency);
        }
        RuleConfig d = RuleConfig.defaults();
        return d.toBuilder()
                .lossWindow(scaled(d.lossWindow(), frequency, 3))
                .lossPatience(scaled(d.lossPatience(), frequency, 3))
                .divergencePatience(scaled(d.divergencePatience(), frequency, 2))
                .oscillationBlock(scaled(d.oscillationBlock(), frequency, 2))
                .build();
    }

    private static int scaled(int live, int frequency, int min) {
        return Math.max(min, (int) Math.round((double) live / frequency));
    }

    // ---- the score

    private void score() {
        int f = run.reportingFrequency();
        LossCurveRule rule = new LossCurveRule(lossConfig(f));
        RecordedReport previous = null;
        boolean nonFinite = false;
        OptionalDouble chance = chanceLoss();
        boolean firstSeen = false;
        for (RecordedReport r : run.reports()) {
            if (!firstSeen && Double.isFinite(r.score())) {
                firstSeen = true;
                chance.ifPresent(c -> divergedBeforeFirstReport(r, c, f));
            }
            if (!Double.isFinite(r.score()) && !nonFinite) {
                nonFinite = true;
                findings.add(Finding.builder(Symptom.NON_FINITE, Severity.ERROR, String.format(Locale.ROOT,
                                "the score is %s at iteration %d (StatsListener reports every %d iterations: it turned "
                                        + "non-finite after iteration %s); which layer produced it is not recorded",
                                r.score(), r.iteration(), f, previous == null ? "0" : previous.iteration()))
                        .firstIteration(r.iteration())
                        .evidence("score", r.score())
                        .evidence("lastFiniteReport", previous == null ? -1 : previous.iteration())
                        .suggest("lower the learning rate, e.g. .updater(new Adam(1e-4))",
                                ".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                                        + ".gradientNormalizationThreshold(1.0)",
                                "train again with dl4j-debug's NonFiniteDetector attached to name the first layer "
                                        + "and iteration")
                        .build());
            }
            findings.addAll(rule.evaluate(ScoreSnapshot.of(r.iteration(), 0, r.score())));
            previous = r;
        }
        RuleConfig c = lossConfig(f);
        checks.add(RecordedCheck.ran("loss curve: not decreasing, diverging, oscillating, NaN/Inf score",
                String.format(Locale.ROOT, "%d scores, one every %d iterations (window %d scores, patience %d, "
                        + "divergence patience %d)", run.reports().size(), f, c.lossWindow(), c.lossPatience(),
                        c.divergencePatience())));
    }

    /**
     * @return ln(C), the loss of a uniform prediction over the C classes, for a softmax output trained with
     *         cross-entropy (MCXENT, negative log-likelihood): what such a classifier scores when freshly initialised;
     *         empty for other outputs or when the number of classes is unknown
     */
    OptionalDouble chanceLoss() {
        String loss = run.facts().lossFunction();
        boolean crossEntropy = loss.contains("MCXENT") || loss.contains("NegativeLogLikelihood");
        boolean softmax = run.facts().outputActivation().toLowerCase(Locale.ROOT).contains("softmax");
        if (!crossEntropy || !softmax) {
            return OptionalDouble.empty();
        }
        for (LayerInfo l : run.layers()) {
            if (l.outputLayer()) {
                for (ParameterInfo p : l.parameters()) {
                    if (p.key().equals("b") && p.length() >= 2) {
                        return OptionalDouble.of(Math.log(p.length()));
                    }
                }
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * StatsListener reporting every N > 1 iterations skips iteration 0, so a loss that blew up in the first N
     * iterations shows no rise in the recording. A softmax classifier trained with cross-entropy starts near ln(C);
     * a first recorded score above the divergence bound of that start ((1 + divergenceFactor) x ln(C), and at least
     * divergenceMinIncrease above it) is a divergence before the first report.
     */
    private void divergedBeforeFirstReport(RecordedReport first, double chance, int frequency) {
        RuleConfig c = lossConfig(frequency);
        double score = first.score();
        if (score > chance * (1 + c.divergenceFactor()) && score - chance > c.divergenceMinIncrease()) {
            findings.add(Finding.builder(Symptom.LOSS_DIVERGING, Severity.ERROR, String.format(Locale.ROOT,
                            "loss diverged before the first report: the score at iteration %d is %.4g, %.1fx ln(%d) = "
                                    + "%.4g, the loss of a freshly initialised softmax classifier (StatsListener's "
                                    + "first report comes at iteration %d)", first.iteration(), score,
                            score / chance, Math.round(Math.exp(chance)), chance, first.iteration()))
                    .firstIteration(first.iteration())
                    .evidence("firstRecordedLoss", score).evidence("initialLossExpected", chance)
                    .evidence("factor", c.divergenceFactor())
                    .suggest("lower the learning rate 10x, e.g. .updater(new Adam(1e-4))",
                            ".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                                    + ".gradientNormalizationThreshold(1.0)",
                            "record every iteration at the start: new StatsListener(storage, 1)")
                    .build());
        }
    }

    // ---- parameters, gradients, updates

    private void parameters() {
        boolean anyUpdates = run.reports().stream().anyMatch(r -> !r.updates().isEmpty() && !r.parameters().isEmpty());
        boolean anyGradients = run.reports().stream().anyMatch(r -> !r.gradients().isEmpty());
        OptionalDouble batch = run.minibatchSize();
        boolean lengths = !run.layers().isEmpty();
        UpdateRatioRule ratios = new UpdateRatioRule(RuleConfig.defaults());
        GradientNormRule norms = new GradientNormRule(GradientMonitorConfig.defaults());
        boolean normsJudged = anyGradients && lengths && batch.isPresent();
        Set<String> reportedNonFinite = new java.util.HashSet<>();
        for (RecordedReport r : run.reports()) {
            nonFinite(r, "parameters", r.parameters(), reportedNonFinite);
            nonFinite(r, "gradients", r.gradients(), reportedNonFinite);
            nonFinite(r, "updates", r.updates(), reportedNonFinite);
        }
        for (GradientSnapshot snapshot : snapshots(run)) {
            if (anyUpdates) {
                findings.addAll(ratios.evaluate(snapshot));
            }
            if (normsJudged && snapshot.parameters().stream().allMatch(s -> Double.isFinite(s.gradientNorm()))) {
                findings.addAll(norms.evaluate(snapshot));
            }
        }
        checks.add(anyUpdates
                ? RecordedCheck.ran("update:parameter ratio: learning rate too high / too low, weights not updating",
                "the ratio of the stored mean magnitudes of update and parameter, thresholds 0.1 and 1e-5 as live")
                : RecordedCheck.skipped("update:parameter ratio: learning rate too high / too low, weights not "
                + "updating", "StatsListener collected no mean magnitudes of parameters and updates "
                + "(collectMeanMagnitudes(Parameters/Updates) was off)"));
        String normName = "gradient norms: vanishing / exploding gradients";
        if (normsJudged) {
            checks.add(RecordedCheck.ran(normName, String.format(Locale.ROOT, "per-example L2 norm estimated as "
                    + "(mean magnitude / %.1f examples per minibatch) x sqrt(pi N / 2), thresholds 1e-6 and 100 as "
                    + "live; gradients are up to %d iterations older than their report", batch.getAsDouble(),
                    run.reportingFrequency() - 1)));
        } else {
            checks.add(RecordedCheck.skipped(normName, !anyGradients
                    ? "StatsListener collected no gradient mean magnitudes"
                    : !lengths ? "the parameters' sizes are unknown: " + run.modelNote()
                    : "the minibatch size is unknown: StatsListener collected no performance statistics"));
        }
    }

    /**
     * The run's statistics as dl4j-debug's gradient snapshots, one per report, trainable parameters in topological
     * order, with L2 norms estimated from the mean magnitudes ({@link MeanMagnitudes}): the parameter and update
     * norms always (without the element count they use N = 1, which keeps their ratio), the per-example gradient norm
     * when the element count and the minibatch size are known (NaN otherwise). Parameters whose statistics are
     * missing or non-finite are left out.
     *
     * @param run a recorded run
     * @return the snapshots, in iteration order (reports without parameter statistics give none)
     */
    public static List<GradientSnapshot> snapshots(RecordedRun run) {
        OptionalDouble batch = run.minibatchSize();
        boolean lengths = !run.layers().isEmpty();
        List<GradientSnapshot> out = new ArrayList<>();
        for (RecordedReport r : run.reports()) {
            List<ParameterStats> stats = new ArrayList<>();
            for (String key : orderedKeys(run, r)) {
                Optional<ParameterInfo> info = run.parameter(key);
                if (info.isPresent() && !info.get().isTrainable()) {
                    continue; // BatchNorm running statistics, frozen layers
                }
                Double p = r.parameters().get(key);
                Double u = r.updates().get(key);
                Double g = r.gradients().get(key);
                if (p == null || u == null || !Double.isFinite(p) || !Double.isFinite(u)
                        || (g != null && !Double.isFinite(g))) {
                    continue; // not collected, or non-finite (a finding of its own)
                }
                String layer = info.map(ParameterInfo::layer).orElse(layerOfKey(key));
                String param = info.map(ParameterInfo::key).orElse(paramOfKey(key));
                long n = info.map(ParameterInfo::length).filter(x -> x > 0).orElse(1L);
                double gradient = g == null || batch.isEmpty() || !lengths ? Double.NaN
                        : MeanMagnitudes.l2(g / batch.getAsDouble(), n);
                stats.add(new ParameterStats(layer, param == null ? key : param, MeanMagnitudes.l2(p, n), gradient,
                        MeanMagnitudes.l2(u, n), 0, 0));
            }
            if (!stats.isEmpty()) {
                out.add(new GradientSnapshot(r.iteration(), 0, (int) Math.max(1, Math.round(batch.orElse(1))),
                        stats));
            }
        }
        return out;
    }

    private List<String> orderedKeys(RecordedReport r) {
        return orderedKeys(run, r);
    }

    private static List<String> orderedKeys(RecordedRun run, RecordedReport r) {
        List<String> keys = new ArrayList<>();
        for (LayerInfo l : run.layers()) {
            for (ParameterInfo p : l.parameters()) {
                if (r.parameters().containsKey(p.flatKey())) {
                    keys.add(p.flatKey());
                }
            }
        }
        r.parameters().keySet().stream().filter(k -> !keys.contains(k)).sorted().forEach(keys::add);
        return keys;
    }

    private void nonFinite(RecordedReport r, String what, Map<String, Double> values, Set<String> reported) {
        if (reported.contains(what)) {
            return;
        }
        List<String> bad = new ArrayList<>();
        for (String key : orderedKeys(r)) {
            Double v = values.get(key);
            if (v != null && !Double.isFinite(v)) {
                bad.add(key);
            }
        }
        values.keySet().stream().filter(k -> !bad.contains(k) && !Double.isFinite(values.get(k))).sorted()
                .forEach(bad::add);
        if (bad.isEmpty()) {
            return;
        }
        reported.add(what);
        String first = bad.get(0);
        Optional<ParameterInfo> info = run.parameter(first);
        List<String> names = bad.stream().map(k -> run.parameter(k).map(ParameterInfo::displayName).orElse(k))
                .toList();
        findings.add(Finding.builder(Symptom.NON_FINITE, Severity.ERROR, String.format(Locale.ROOT,
                        "the %s statistics of %s are NaN or infinite at iteration %d (%d of them); StatsListener "
                                + "measures every %d iterations and cannot say where the value started",
                        what, String.join(", ", names.subList(0, Math.min(5, names.size())))
                                + (names.size() > 5 ? ", ..." : ""), r.iteration(), bad.size(),
                        run.reportingFrequency()))
                .layer(info.map(ParameterInfo::layer).orElse(layerOfKey(first)))
                .parameter(info.map(ParameterInfo::key).orElse(paramOfKey(first)))
                .firstIteration(r.iteration())
                .evidence("nonFiniteArrays", bad.size())
                .suggest("lower the learning rate, e.g. .updater(new Adam(1e-4))",
                        ".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                                + ".gradientNormalizationThreshold(1.0)",
                        "train again with dl4j-debug's NonFiniteDetector to name the first layer and iteration")
                .build());
    }

    /**
     * @return true for an activation key that names a network input: {@code input} in a MultiLayerNetwork, a key
     *         that is no layer of a ComputationGraph (its input names)
     */
    private boolean isInput(String activationKey) {
        if (run.modelClass().endsWith("MultiLayerNetwork") || run.layers().isEmpty()) {
            return "input".equals(activationKey);
        }
        return run.activationLayer(activationKey).isEmpty();
    }

    private static String layerOfKey(String key) {
        int i = key.lastIndexOf('_');
        return i <= 0 ? key : key.substring(0, i);
    }

    private static String paramOfKey(String key) {
        int i = key.lastIndexOf('_');
        return i <= 0 || i == key.length() - 1 ? null : key.substring(i + 1);
    }

    // ---- learning rates

    private void learningRates() {
        String name = "learning rates: configured rate outside its updater's plausible range, schedule decayed to ~0";
        RecordedReport first = run.reports().get(0);
        if (first.learningRates().isEmpty()) {
            checks.add(RecordedCheck.skipped(name, "StatsListener collected no learning rates "
                    + "(collectLearningRates was off)"));
            return;
        }
        ChecklistConfig limits = ChecklistConfig.defaults();
        // layers grouped by updater and rate, in topological order: one finding per group, as the checklist does
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (String key : orderedLrKeys(first)) {
            double lr = first.learningRates().get(key);
            Optional<ParameterInfo> info = run.parameter(key);
            if (info.isPresent() && !info.get().isTrainable()) {
                continue;
            }
            String layer = info.map(ParameterInfo::layer).orElse(layerOfKey(key));
            String updater = run.facts().layer(layer).map(LayerFacts::updater).orElse("");
            String group = updater + "@" + lr;
            List<String> layers = groups.computeIfAbsent(group, k -> new ArrayList<>());
            if (!layers.contains(layer)) {
                layers.add(layer);
            }
            rates.put(group, new double[] {lr});
        }
        for (Map.Entry<String, List<String>> e : groups.entrySet()) {
            String updater = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
            double lr = rates.get(e.getKey())[0];
            if (lr <= 0 || !Double.isFinite(lr)) {
                continue; // NoOp, AdaDelta: StatsListener stores 0 for an updater without a rate
            }
            boolean adaptive = ADAPTIVE.contains(updater);
            double max = adaptive ? limits.maxAdaptiveLearningRate() : limits.maxSgdLearningRate();
            String layers = String.join(", ", e.getValue());
            String shown = updater.isEmpty() ? "the" : updater;
            if (lr > max) {
                findings.add(Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, String.format(
                                Locale.ROOT, "%s learning rate %.3g on layers %s is above the plausible maximum %.3g "
                                        + "(recorded by StatsListener at iteration %d)", shown, lr, layers, max,
                                first.iteration()))
                        .layer(e.getValue().get(0)).firstIteration(0)
                        .evidence("learningRate", lr).evidence("maxLearningRate", max)
                        .suggest(adaptive ? ".updater(new " + updater + "(1e-3))"
                                : ".updater(new Sgd(0.01)) or .updater(new Adam(1e-3))")
                        .build());
            } else if (lr < limits.minLearningRate()) {
                findings.add(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, String.format(
                                Locale.ROOT, "%s learning rate %.3g on layers %s is below the plausible minimum %.3g",
                                shown, lr, layers, limits.minLearningRate()))
                        .layer(e.getValue().get(0)).firstIteration(0)
                        .evidence("learningRate", lr).evidence("minLearningRate", limits.minLearningRate())
                        .suggest(".updater(new Adam(1e-3))").build());
            }
        }
        decayed(limits.minLearningRate());
        checks.add(RecordedCheck.ran(name, String.format(Locale.ROOT, "the per-parameter rates StatsListener stored, "
                + "against %.3g..%.3g (adaptive updaters) and %.3g..%.3g (SGD, Nesterovs)",
                limits.minLearningRate(), limits.maxAdaptiveLearningRate(), limits.minLearningRate(),
                limits.maxSgdLearningRate())));
    }

    /** A schedule that took a rate from a plausible value to below the minimum during the run. */
    private void decayed(double min) {
        Map<String, Double> start = run.reports().get(0).learningRates();
        for (RecordedReport r : run.reports()) {
            for (String key : orderedLrKeys(r)) {
                Double s = start.get(key);
                double now = r.learningRates().get(key);
                if (s != null && s >= min && now > 0 && now < min) {
                    Optional<ParameterInfo> info = run.parameter(key);
                    String layer = info.map(ParameterInfo::layer).orElse(layerOfKey(key));
                    findings.add(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, String.format(
                                    Locale.ROOT, "the learning rate of %s decayed from %.3g to %.3g by iteration %d: "
                                            + "its schedule reached ~0", info.map(ParameterInfo::displayName)
                                            .orElse(key), s, now, r.iteration()))
                            .layer(layer).parameter(info.map(ParameterInfo::key).orElse(paramOfKey(key)))
                            .firstIteration(r.iteration())
                            .evidence("learningRate", now).evidence("initialLearningRate", s)
                            .evidence("minLearningRate", min)
                            .suggest("check the learning-rate schedule (ISchedule) of the updater: a decay that "
                                    + "reaches ~0 stops training")
                            .build());
                    return;
                }
            }
        }
    }

    private List<String> orderedLrKeys(RecordedReport r) {
        List<String> keys = new ArrayList<>();
        for (LayerInfo l : run.layers()) {
            for (ParameterInfo p : l.parameters()) {
                if (r.learningRates().containsKey(p.flatKey())) {
                    keys.add(p.flatKey());
                }
            }
        }
        r.learningRates().keySet().stream().filter(k -> !keys.contains(k)).sorted().forEach(keys::add);
        return keys;
    }

    // ---- activations

    private void activations() {
        String name = "activations: NaN/Inf network input or layer output, a ReLU layer whose whole output is 0";
        boolean any = run.reports().stream().anyMatch(r -> !r.activationMagnitude().isEmpty()
                || !r.activationMean().isEmpty());
        if (!any) {
            checks.add(RecordedCheck.skipped(name, "StatsListener collected no activation statistics"));
            return;
        }
        Map<String, Integer> zeroStreak = new LinkedHashMap<>();
        Map<String, Long> zeroSince = new LinkedHashMap<>();
        Set<String> reported = new java.util.HashSet<>();
        boolean nonFiniteReported = false;
        boolean inputReported = false;
        for (RecordedReport r : run.reports()) {
            List<String> bad = new ArrayList<>();
            List<String> badInputs = new ArrayList<>();
            for (Map.Entry<String, Double> e : r.activationMean().entrySet()) {
                if (!Double.isFinite(e.getValue())) {
                    (isInput(e.getKey()) ? badInputs : bad).add(e.getKey());
                }
            }
            if (!badInputs.isEmpty() && !inputReported) {
                inputReported = true;
                badInputs.sort(null);
                findings.add(Finding.builder(Symptom.DATA_NON_FINITE, Severity.ERROR, String.format(Locale.ROOT,
                                "the network input %s holds NaN or infinite values at iteration %d (the mean "
                                        + "StatsListener recorded for it is %s)", String.join(", ", badInputs),
                                r.iteration(), r.activationMean().get(badInputs.get(0))))
                        .layer(badInputs.get(0)).firstIteration(r.iteration())
                        .evidence("nonFiniteInputs", badInputs.size())
                        .suggest("remove or impute NaN/Inf in the features before training (check the data "
                                        + "pipeline)",
                                "check normalisers: NormalizerStandardize divides by a zero std for constant features")
                        .build());
            }
            if (!bad.isEmpty() && !nonFiniteReported) {
                nonFiniteReported = true;
                List<String> names = bad.stream().map(k -> run.activationLayer(k).map(LayerInfo::name).orElse(k))
                        .sorted(java.util.Comparator.comparingInt(n -> run.facts().position(n))).toList();
                findings.add(Finding.builder(Symptom.NON_FINITE, Severity.ERROR, String.format(Locale.ROOT,
                                "the outputs of layers %s are NaN or infinite at iteration %d (StatsListener "
                                        + "measures every %d iterations)", String.join(", ", names), r.iteration(),
                                run.reportingFrequency()))
                        .layer(names.get(0)).firstIteration(r.iteration())
                        .evidence("nonFiniteLayers", names.size())
                        .suggest("lower the learning rate, e.g. .updater(new Adam(1e-4))",
                                "train again with dl4j-debug's NonFiniteDetector to name the first layer")
                        .build());
            }
            for (Map.Entry<String, Double> e : r.activationMagnitude().entrySet()) {
                Optional<LayerInfo> layer = run.activationLayer(e.getKey());
                if (layer.isEmpty()) {
                    continue;
                }
                boolean relu = run.facts().layer(layer.get().name()).map(LayerFacts::canDie).orElse(false);
                boolean zero = relu && e.getValue() == 0.0;
                int streak = zero ? zeroStreak.merge(e.getKey(), 1, Integer::sum) : 0;
                if (!zero) {
                    zeroStreak.remove(e.getKey());
                    zeroSince.remove(e.getKey());
                    continue;
                }
                zeroSince.putIfAbsent(e.getKey(), r.iteration());
                if (streak >= DEAD_LAYER_PATIENCE && reported.add(e.getKey())) {
                    String n = layer.get().name();
                    findings.add(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, String.format(Locale.ROOT,
                                    "every unit of layer %s (%s) is dead: its whole output is 0 (mean magnitude 0 on "
                                            + "%d reports in a row from iteration %d)", n,
                                    layer.get().activation(), streak, zeroSince.get(e.getKey())))
                            .layer(n).firstIteration(zeroSince.get(e.getKey()))
                            .evidence("deadFraction", 1.0).evidence("meanMagnitude", 0.0)
                            .evidence("reports", streak)
                            .suggest(".activation(Activation.LEAKYRELU) instead of RELU",
                                    "lower the learning rate: a too large step can kill every unit",
                                    ".weightInit(WeightInit.RELU) and a small positive .biasInit(0.01)")
                            .build());
                }
            }
        }
        checks.add(RecordedCheck.ran(name, "per-layer mean, standard deviation and mean magnitude of the output"));
        checks.add(RecordedCheck.skipped("dead or saturated units one by one, activation collapse across examples",
                "StatsListener keeps one mean, standard deviation, mean magnitude and histogram per layer over all "
                        + "units and examples together (the histogram's 20 bins span the layer's min..max: the share "
                        + "of values near a bound, not which units stay there for every example); which units are "
                        + "dead or saturated, and whether examples differ, needs per-unit statistics (dl4j-debug's "
                        + "ActivationMonitor)"));
    }
}
