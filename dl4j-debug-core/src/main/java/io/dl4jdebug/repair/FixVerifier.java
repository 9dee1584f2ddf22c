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
import io.dl4jdebug.wrapper.LayerWrappers;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The method's last step, by machine: for the top incidents of a {@link Diagnosis}, apply the proposed
 * {@link Remedy} to a <em>copy</em> of the network (a cloned configuration, initialised with the same seed), train
 * the same short budget on the same minibatches as an unchanged copy, and compare the inference-mode loss on the same
 * examples and the incident's symptoms. A remedy is confirmed when the changed copy stays finite, no symptom of the
 * incident that the unchanged copy showed is left (nor the root's, nor a NaN), and its loss ends at least
 * {@link VerifyBudget#minImprovement()} below the unchanged copy's (or the unchanged copy broke, or every symptom the
 * unchanged copy showed is gone and the loss is no more than 2 % worse). Confirmed incidents rank first; a remedy that names another cause (a lower
 * learning rate curing a NaN) makes that cause the root. The user's network is never touched. Not thread safe.
 */
public final class FixVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(FixVerifier.class);

    /** When every symptom of the incident is gone, the loss may end this much above the unchanged copy's. */
    static final double NOT_WORSE = 1.02;

    private final VerifyBudget budget;

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
     * Tries the fixes of the top loud incidents.
     *
     * @param network   the diagnosed network (only its configuration is read)
     * @param diagnosis its diagnosis
     * @param data      training data (resettable); the first minibatches are used, cycled
     * @return the diagnosis with verifications, re-ranked
     * @throws UnsupportedModelException for model types other than MultiLayerNetwork and ComputationGraph
     */
    public Diagnosis verify(Model network, Diagnosis diagnosis, DataSetIterator data) {
        ModelView.requireSupported(network);
        List<DataSet> batches = read(data);
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("the verification data has no examples");
        }
        List<Incident> candidates = diagnosis.loud().stream().filter(i -> !i.remedies().isEmpty())
                .limit(budget.incidents()).toList();
        if (candidates.isEmpty()) {
            return diagnosis;
        }
        Trial baseline = train(network, null, batches);
        Map<Integer, Verification> results = new HashMap<>();
        for (Incident incident : candidates) {
            Verification first = null;
            for (Remedy remedy : incident.remedies().subList(0, Math.min(budget.remediesPerIncident(),
                    incident.remedies().size()))) {
                Verification v;
                try {
                    v = judge(incident, remedy, baseline, train(network, remedy, batches));
                } catch (RuntimeException e) {
                    LOG.warn("could not try the fix '{}' on a copy: {}", remedy.text(), e.toString());
                    continue;
                }
                if (first == null) {
                    first = v;
                }
                if (v.confirmed()) {
                    first = v;
                    break;
                }
            }
            if (first != null) {
                results.put(incident.id(), first);
            }
        }
        return diagnosis.withVerifications(results);
    }

    private List<DataSet> read(DataSetIterator data) {
        if (data.resetSupported()) {
            data.reset();
        }
        List<DataSet> batches = new ArrayList<>();
        int wanted = Math.min(budget.iterations(), 64);
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

    /** What one copy did: losses before and after, the loud symptoms it showed, and the time it took. */
    private record Trial(double before, double after, Set<Symptom> symptoms, double seconds) {
    }

    private Trial train(Model network, Remedy remedy, List<DataSet> batches) {
        long start = System.nanoTime();
        Model copy = copy(network, remedy);
        List<DataSet> data = remedy != null && remedy.kind() == Remedy.Kind.NORMALIZE_INPUT
                ? standardised(batches) : batches;
        DataSet eval = DataSet.merge(data.subList(0, Math.min(budget.evaluationBatches(), data.size())));
        ModelView view = ModelView.of(copy);
        double before = view.score(eval);
        // The loop below ends at the first non-finite event itself (fit(DataSet) has no iterator to guard), so the
        // policy only has to record it: LOG (STOP would warn that nothing guards the training data).
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.LOG).logging(false).build().attachTo(copy);
        Consumer<DataSet> fit = copy instanceof MultiLayerNetwork m ? m::fit : ((ComputationGraph) copy)::fit;
        for (int i = 0; i < budget.iterations() && suite.firstNonFinite().isEmpty(); i++) {
            fit.accept(data.get(i % data.size()));
        }
        suite.close();
        double after = suite.firstNonFinite().isPresent() ? Double.NaN : view.score(eval);
        Set<Symptom> symptoms = EnumSet.noneOf(Symptom.class);
        for (Finding f : suite.findings()) {
            if (f.severity() != Severity.INFO) {
                symptoms.add(f.symptom());
            }
        }
        return new Trial(before, after, symptoms, (System.nanoTime() - start) / 1e9);
    }

    private static List<DataSet> standardised(List<DataSet> batches) {
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(DataSet.merge(batches));
        List<DataSet> out = new ArrayList<>();
        for (DataSet b : batches) {
            DataSet c = b.copy();
            norm.preProcess(c);
            out.add(c);
        }
        return out;
    }

    private static Model copy(Model network, Remedy remedy) {
        Nd4j.getRandom().setSeed(seed(network));
        if (network instanceof MultiLayerNetwork m) {
            // unwrapped (a copy): the layer wrappers of the user's network would report into the user's probe session
            MultiLayerConfiguration conf = LayerWrappers.unwrap(m.getLayerWiseConfigurations());
            if (remedy != null) {
                RemedyApplier.apply(remedy, RemedyApplier.layers(conf));
                RemedyApplier.applyToNetwork(remedy, conf);
            }
            MultiLayerNetwork copy = new MultiLayerNetwork(conf);
            copy.init();
            return copy;
        }
        ComputationGraphConfiguration conf = LayerWrappers.unwrap(((ComputationGraph) network).getConfiguration());
        if (remedy != null) {
            RemedyApplier.apply(remedy, RemedyApplier.layers(conf));
            RemedyApplier.applyToNetwork(remedy, conf);
        }
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init();
        return copy;
    }

    private static long seed(Model network) {
        return network instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().getConf(0).getSeed()
                : ((ComputationGraph) network).getConfiguration().getDefaultConfiguration().getSeed();
    }

    private Verification judge(Incident incident, Remedy remedy, Trial baseline, Trial fixed) {
        Set<Symptom> incidentSymptoms = new LinkedHashSet<>();
        incidentSymptoms.add(incident.symptom());
        incident.consequences().stream().map(SymptomGroup::symptom).forEach(incidentSymptoms::add);
        List<Symptom> gone = new ArrayList<>();
        List<Symptom> left = new ArrayList<>();
        for (Symptom s : incidentSymptoms) {
            if (fixed.symptoms().contains(s)) {
                left.add(s);
            } else if (baseline.symptoms().contains(s)) {
                gone.add(s);
            }
        }
        boolean baselineBroke = !Double.isFinite(baseline.after());
        boolean fixedFinite = Double.isFinite(fixed.after());
        boolean allGone = !gone.isEmpty() && left.isEmpty();
        boolean better = baselineBroke || fixed.after() <= baseline.after() * (1 - budget.minImprovement())
                || (allGone && fixed.after() <= baseline.after() * NOT_WORSE);
        // Clipping bounds the steps, not the raw gradient the monitor measures before the updater clips it: on a
        // clipped copy an exploding raw gradient is expected, and the loss and the absence of NaN decide.
        java.util.function.Predicate<Symptom> counts = s -> remedy.kind() != Remedy.Kind.CLIP_GRADIENTS
                || s != Symptom.EXPLODING_GRADIENT;
        boolean stillThere = left.stream().filter(counts).anyMatch(baseline.symptoms()::contains)
                || (counts.test(incident.symptom()) && fixed.symptoms().contains(incident.symptom()))
                || fixed.symptoms().contains(Symptom.NON_FINITE);
        boolean confirmed = fixedFinite && better && !stillThere;
        return new Verification(remedy, confirmed, budget.iterations(), baseline.before(), baseline.after(),
                fixed.before(), fixed.after(), gone, left, baseline.seconds() + fixed.seconds());
    }
}
