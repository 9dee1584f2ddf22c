package io.dl4jdebug.repair;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.diagnose.Verification;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.UnsupportedModelException;
import io.dl4jdebug.publish.FailureTally;
import io.dl4jdebug.wrapper.LayerWrappers;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The method's last step, by machine: for the top incidents of a {@link Diagnosis}, apply the proposed
 * {@link Remedy} to a <em>copy</em> of the network (a cloned configuration, every other setting as it is), train
 * the same short budget on the same minibatches as an unchanged copy, and compare both on a metric the remedy cannot
 * fake (see {@link HeldOutMetric}: accuracy for one-hot classes, else the original objective's loss) on examples
 * neither copy trained on, in inference mode.
 *
 * <p><b>Held-out examples.</b> With {@link #verify(Model, Diagnosis, DataSetIterator, DataSetIterator)} they are the
 * first {@link VerifyBudget#evaluationBatches()} minibatches of the caller's validation data. With
 * {@link #verify(Model, Diagnosis, DataSetIterator)} the verifier reads up to {@code min(iterations, 64)} +
 * {@code evaluationBatches} minibatches and holds back the last {@code min(evaluationBatches, max(1, n / 4))} of the
 * n it got (a single minibatch: its last quarter of examples); the copies train on the others, cycled.
 *
 * <p><b>Verdict.</b> The unchanged copy is trained at {@link VerifyBudget#seeds()} seeds: its own configuration seed
 * and minibatch order, then other init seeds (the configuration's seed + k) with other minibatch orders. A remedy is
 * confirmed when its copy did not break, its held-out metric beats the unchanged copy at the same seed and order by
 * more than the larger of that spread (max - min across seeds) and a minimum margin ({@link
 * VerifyBudget#minAccuracyGain()} absolute for accuracy, {@link VerifyBudget#minImprovement()} of the unchanged
 * loss for a loss), and no symptom of the incident is left on its copy (nor a NaN). The {@link Verification} records
 * all of these numbers.
 *
 * <p><b>One remedy, one verdict.</b> A remedy (same kind, layers, value and argument) is tried once per call; every
 * incident that proposes it and reaches it gets the same verification (judged on the symptoms of the first,
 * highest-ranked, such incident). A remedy that throws while it is applied or trained on its copy is logged, counted
 * in the {@link FailureTally} ({@link #reportFailuresTo(FailureTally)}; the JSON report writes it as
 * {@code "failures"}) and the incident's next remedy is tried. After verification, incidents whose fix was confirmed
 * come first, the others keep their order.
 *
 * <p>The copies are trained on a thread of their own: DL4J's {@code init()} seeds ND4J's thread-local random
 * generator, and the caller's generator ({@code Nd4j.getRandom()}) is left exactly as it was; each copy is seeded
 * through its configuration's seed. The user's network is never touched. Not thread safe.
 */
public final class FixVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(FixVerifier.class);

    /** The name failures are counted under in the {@link FailureTally}, with the remedy's kind appended. */
    public static final String FAILURE_NAME = "fix verifier";

    private final VerifyBudget budget;
    private FailureTally failures = new FailureTally();

    /**
     * @param budget what the trials may spend
     */
    public FixVerifier(VerifyBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget must not be null");
    }

    /** @return a verifier with {@link VerifyBudget#defaults()} */
    public static FixVerifier withDefaults() {
        return new FixVerifier(VerifyBudget.defaults());
    }

    /**
     * @param tally where remedies that fail on a copy are counted (e.g. {@code DebugSuite.failureTally()}, so that
     *              the JSON report lists them)
     * @return this verifier
     */
    public FixVerifier reportFailuresTo(FailureTally tally) {
        this.failures = Objects.requireNonNull(tally, "tally must not be null");
        return this;
    }

    /** @return where this verifier counts the remedies that failed on a copy */
    public FailureTally failures() {
        return failures;
    }

    /**
     * Tries the fixes of the top loud incidents, holding back part of the training data for the comparison.
     *
     * @param network   the diagnosed network (only its configuration is read)
     * @param diagnosis its diagnosis
     * @param data      training data (resettable); the first minibatches are used, the last of them held back
     * @return the diagnosis with verifications, confirmed incidents first
     * @throws UnsupportedModelException for model types other than MultiLayerNetwork and ComputationGraph
     * @throws IllegalArgumentException  when the data has fewer than 2 examples
     */
    public Diagnosis verify(Model network, Diagnosis diagnosis, DataSetIterator data) {
        ModelView.requireSupported(network);
        if (candidates(diagnosis).isEmpty()) {
            return diagnosis;
        }
        List<DataSet> batches = read(data, Math.min(budget.iterations(), 64) + budget.evaluationBatches());
        return verify(network, diagnosis, TrialData.split(batches, budget.evaluationBatches()));
    }

    /**
     * Tries the fixes of the top loud incidents, comparing the copies on the caller's validation data.
     *
     * @param network    the diagnosed network (only its configuration is read)
     * @param diagnosis  its diagnosis
     * @param train      training data (resettable); the first minibatches are used, cycled
     * @param validation held-out data; its first {@link VerifyBudget#evaluationBatches()} minibatches are used
     * @return the diagnosis with verifications, confirmed incidents first
     * @throws UnsupportedModelException for model types other than MultiLayerNetwork and ComputationGraph
     * @throws IllegalArgumentException  when either iterator has no examples
     */
    public Diagnosis verify(Model network, Diagnosis diagnosis, DataSetIterator train, DataSetIterator validation) {
        ModelView.requireSupported(network);
        List<DataSet> batches = read(train, Math.min(budget.iterations(), 64));
        List<DataSet> held = read(validation, budget.evaluationBatches());
        if (batches.isEmpty() || held.isEmpty()) {
            throw new IllegalArgumentException("the verification data has no examples (training: "
                    + batches.size() + " minibatches, validation: " + held.size() + ")");
        }
        return verify(network, diagnosis, new TrialData(batches, DataSet.merge(held),
                "the first " + held.size() + " minibatches of the validation data"));
    }

    private List<Incident> candidates(Diagnosis diagnosis) {
        return diagnosis.loud().stream().filter(i -> !i.remedies().isEmpty()).limit(budget.incidents()).toList();
    }

    private Diagnosis verify(Model network, Diagnosis diagnosis, TrialData data) {
        List<Incident> candidates = candidates(diagnosis);
        if (candidates.isEmpty()) {
            return diagnosis;
        }
        Map<Integer, Verification> results = onOwnThread(() -> trials(network, candidates, data));
        return confirmedFirst(diagnosis.withVerifications(results));
    }

    private Map<Integer, Verification> trials(Model network, List<Incident> candidates, TrialData data) {
        HeldOutMetric metric = HeldOutMetric.of(network, data.heldOut());
        List<Trial> baselines = new ArrayList<>();
        try {
            for (int k = 0; k < budget.seeds(); k++) {
                baselines.add(train(network, null, data, metric, k));
            }
        } catch (RuntimeException e) {
            failures.record(FAILURE_NAME + ": the unchanged copy", "training the unchanged copy", e);
            LOG.warn("could not train an unchanged copy of the network; no fix is verified: {}", e.toString());
            return Map.of();
        }
        Map<RemedyKey, Optional<Verification>> tried = new HashMap<>();
        Map<Integer, Verification> results = new HashMap<>();
        for (Incident incident : candidates) {
            Verification first = null;
            for (Remedy remedy : incident.remedies().subList(0, Math.min(budget.remediesPerIncident(),
                    incident.remedies().size()))) {
                RemedyKey key = RemedyKey.of(remedy);
                Optional<Verification> v = tried.get(key);
                if (v == null) {
                    v = attempt(network, incident, remedy, baselines, data, metric);
                    tried.put(key, v);
                }
                if (v.isEmpty()) {
                    continue;
                }
                if (first == null || v.get().confirmed()) {
                    first = v.get();
                }
                if (first.confirmed()) {
                    break;
                }
            }
            if (first != null) {
                results.put(incident.id(), first);
            }
        }
        return results;
    }

    private Optional<Verification> attempt(Model network, Incident incident, Remedy remedy, List<Trial> baselines,
                                           TrialData data, HeldOutMetric metric) {
        try {
            return Optional.of(judge(incident, remedy, baselines, train(network, remedy, data, metric, 0), metric,
                    data));
        } catch (RuntimeException e) {
            boolean firstTime = failures.record(FAILURE_NAME + ": " + remedy.kind(), "trying '" + remedy.text()
                    + "' on a copy", e);
            if (firstTime) {
                LOG.warn("could not try the fix '{}' on a copy: {}", remedy.text(), e.toString());
            } else {
                LOG.debug("could not try the fix '{}' on a copy", remedy.text(), e);
            }
            return Optional.empty();
        }
    }

    /** The identity of a remedy for "one remedy, one verdict": its text may be worded differently per incident. */
    private record RemedyKey(Remedy.Kind kind, List<String> layers, double value, String argument) {
        static RemedyKey of(Remedy r) {
            return new RemedyKey(r.kind(), r.layers(), r.value(), r.argument());
        }
    }

    private static Diagnosis confirmedFirst(Diagnosis d) {
        List<Incident> sorted = new ArrayList<>();
        d.incidents().stream().filter(Incident::confirmed).forEach(sorted::add);
        d.incidents().stream().filter(i -> !i.confirmed()).forEach(sorted::add);
        List<Incident> numbered = new ArrayList<>();
        for (int k = 0; k < sorted.size(); k++) {
            numbered.add(sorted.get(k).with(k + 1, sorted.get(k).verification()));
        }
        return new Diagnosis(numbered, d.dismissed(), d.loss());
    }

    private static <T> T onOwnThread(java.util.function.Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(work.get());
            } catch (Throwable e) { // handed to the caller's thread below
                error.set(e);
            }
        }, "dl4j-debug-fix-verifier");
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fixes were tried on copies", e);
        }
        Throwable e = error.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException("trying fixes on copies failed", e);
        }
        return result.get();
    }

    private static List<DataSet> read(DataSetIterator data, int wanted) {
        if (data.resetSupported()) {
            data.reset();
        }
        List<DataSet> batches = new ArrayList<>();
        while (data.hasNext() && batches.size() < wanted) {
            DataSet ds = data.next();
            batches.add(new DataSet(ds.getFeatures().dup(), ds.getLabels().dup(),
                    ds.getFeaturesMaskArray() == null ? null : ds.getFeaturesMaskArray().dup(),
                    ds.getLabelsMaskArray() == null ? null : ds.getLabelsMaskArray().dup()));
        }
        if (data.resetSupported()) {
            data.reset();
        }
        return batches;
    }

    /**
     * What one copy did.
     *
     * @param before   its own objective on the held-out examples before training
     * @param after    the same after training (NaN when it broke)
     * @param metric   the held-out metric after training (the worst value when it broke)
     * @param broke    true when training produced a non-finite value
     * @param symptoms the loud symptoms it showed (monitored copies only)
     * @param seconds  wall time
     */
    private record Trial(double before, double after, double metric, boolean broke, Set<Symptom> symptoms,
                         double seconds) {
    }

    private Trial train(Model network, Remedy remedy, TrialData all, HeldOutMetric metric, int seedIndex) {
        long start = System.nanoTime();
        Model copy = copy(network, remedy, seedIndex);
        TrialData data = all.forRemedy(remedy);
        List<DataSet> batches = seedIndex == 0 ? data.train()
                : data.shuffled(seed(network) * 31 + seedIndex);
        ModelView view = ModelView.of(copy);
        double before = view.score(data.heldOut());
        Consumer<DataSet> fit = copy instanceof MultiLayerNetwork m ? m::fit : ((ComputationGraph) copy)::fit;
        Set<Symptom> symptoms = EnumSet.noneOf(Symptom.class);
        boolean broke = false;
        boolean monitored = seedIndex == 0;
        if (monitored) {
            // The loop ends at the first non-finite event itself (fit(DataSet) has no iterator to guard), so the
            // policy only has to record it: LOG (STOP would warn that nothing guards the training data).
            DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.LOG).logging(false).build().attachTo(copy);
            for (int i = 0; i < budget.iterations() && suite.firstNonFinite().isEmpty(); i++) {
                fit.accept(batches.get(i % batches.size()));
            }
            suite.close();
            broke = suite.firstNonFinite().isPresent();
            for (Finding f : suite.findings()) {
                if (f.severity() != Severity.INFO) {
                    symptoms.add(f.symptom());
                }
            }
        } else {
            // the other seeds only measure the spread of the held-out metric: no monitors, a non-finite score stops
            for (int i = 0; i < budget.iterations() && !broke; i++) {
                fit.accept(batches.get(i % batches.size()));
                broke = !Double.isFinite(copy.score());
            }
        }
        double after = broke ? Double.NaN : view.score(data.heldOut());
        double value = broke ? metric.worst() : metric.value(copy, data.heldOut());
        return new Trial(before, after, value, broke, symptoms, (System.nanoTime() - start) / 1e9);
    }

    private static Model copy(Model network, Remedy remedy, int seedIndex) {
        if (network instanceof MultiLayerNetwork m) {
            // unwrapped (a copy): the layer wrappers of the user's network would report into the user's probe session
            MultiLayerConfiguration conf = LayerWrappers.unwrap(m.getLayerWiseConfigurations());
            if (seedIndex > 0) {
                for (NeuralNetConfiguration c : conf.getConfs()) {
                    c.setSeed(c.getSeed() + seedIndex);
                }
            }
            if (remedy != null) {
                RemedyApplier.apply(remedy, conf);
            }
            MultiLayerNetwork copy = new MultiLayerNetwork(conf);
            copy.init();
            return copy;
        }
        ComputationGraphConfiguration conf = LayerWrappers.unwrap(((ComputationGraph) network).getConfiguration());
        if (seedIndex > 0) {
            conf.getDefaultConfiguration().setSeed(conf.getDefaultConfiguration().getSeed() + seedIndex);
            for (GraphVertex v : conf.getVertices().values()) {
                if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
                    lv.getLayerConf().setSeed(lv.getLayerConf().getSeed() + seedIndex);
                }
            }
        }
        if (remedy != null) {
            RemedyApplier.apply(remedy, conf);
        }
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init();
        return copy;
    }

    private static long seed(Model network) {
        return network instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().getConf(0).getSeed()
                : ((ComputationGraph) network).getConfiguration().getDefaultConfiguration().getSeed();
    }

    private Verification judge(Incident incident, Remedy remedy, List<Trial> baselines, Trial fixed,
                               HeldOutMetric metric, TrialData data) {
        Trial paired = baselines.get(0);
        Set<Symptom> incidentSymptoms = new LinkedHashSet<>();
        incidentSymptoms.add(incident.symptom());
        incident.consequences().stream().map(SymptomGroup::symptom).forEach(incidentSymptoms::add);
        List<Symptom> gone = new ArrayList<>();
        List<Symptom> left = new ArrayList<>();
        for (Symptom s : incidentSymptoms) {
            if (fixed.symptoms().contains(s)) {
                left.add(s);
            } else if (paired.symptoms().contains(s)) {
                gone.add(s);
            }
        }
        // Clipping bounds the steps, not the raw gradient the monitor measures before the updater clips it: on a
        // clipped copy an exploding raw gradient is expected, and the metric and the absence of NaN decide.
        Predicate<Symptom> counts = s -> remedy.kind() != Remedy.Kind.CLIP_GRADIENTS
                || s != Symptom.EXPLODING_GRADIENT;
        boolean stillThere = left.stream().filter(counts).anyMatch(paired.symptoms()::contains)
                || (counts.test(incident.symptom()) && fixed.symptoms().contains(incident.symptom()))
                || fixed.symptoms().contains(Symptom.NON_FINITE);
        Verification.HeldOut heldOut = new Verification.HeldOut(metric.metric(), data.heldOut().numExamples(),
                data.source(), baselines.stream().map(Trial::metric).toList(), fixed.metric(),
                spread(baselines), margin(metric, paired.metric(), baselines));
        boolean confirmed = !fixed.broke() && heldOut.improved() && !stillThere;
        double seconds = fixed.seconds() + baselines.stream().mapToDouble(Trial::seconds).sum();
        return new Verification(remedy, confirmed, budget.iterations(), paired.before(), paired.after(),
                fixed.before(), fixed.after(), gone, left, heldOut, seconds);
    }

    /** max - min of the unchanged copies' metric; 0 when every seed broke alike, +Infinity when only some did */
    private static double spread(List<Trial> baselines) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Trial t : baselines) {
            min = Math.min(min, t.metric());
            max = Math.max(max, t.metric());
        }
        if (min == max) {
            return 0;
        }
        return max - min;
    }

    private double margin(HeldOutMetric metric, double paired, List<Trial> baselines) {
        if (metric.metric() == Verification.Metric.ACCURACY) {
            return budget.minAccuracyGain();
        }
        double reference = Double.isFinite(paired) ? paired
                : baselines.stream().mapToDouble(Trial::metric).filter(Double::isFinite).average().orElse(0);
        return budget.minImprovement() * Math.abs(reference);
    }
}
