package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;

/**
 * Regularization and label bugs on the dense Fashion-MNIST classifier (DeepFD's l1/l2 too strong; shuffled labels),
 * each with its healthy twin, and a healthy graph using dropout and l2 correctly. Stateless.
 */
final class RegularizationScenarios {

    private RegularizationScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                BuiltScenario.bug("l1-too-strong", ".l1(0.05): the penalty's pull towards 0 outweighs the data"
                                + " gradient, most weights are held at 0",
                        RootCause.of(Symptom.REGULARIZATION_DOMINATES, Setting.REGULARIZATION, ONLY_IN_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).l1(bug ? 0.05 : 0).multiLayer())),
                BuiltScenario.bug("cg-weight-decay-too-strong", "a graph with .weightDecay(100) and Adam(1e-3): the"
                                + " weights shrink by 10% every step",
                        RootCause.of(Symptom.REGULARIZATION_DOMINATES, Setting.REGULARIZATION, ONLY_IN_TRAINING),
                        ModelKind.COMPUTATION_GRAPH, Family.CG, (d, bug) -> FashionScenarios.standard(d,
                                DenseNet.seeded(d.seed()).weightDecay(bug ? 100 : 0).graph())),
                BuiltScenario.bug("labels-shuffled", "the training labels shuffled apart from their images (a"
                                + " broken join): valid one-hot rows that say nothing about the features",
                        RootCause.of(Symptom.LABELS_INVALID, Setting.LABELS, ONLY_IN_TRAINING),
                        ModelKind.MULTI_LAYER_NETWORK, Family.MLN, (d, bug) -> new ScenarioSetup(
                                DenseNet.seeded(d.seed()).multiLayer(), bug ? shuffleLabels(d.fashion().train(
                                        FashionScenarios.TRAIN), d.seed()) : d.fashion().train(FashionScenarios.TRAIN),
                                d.fashion().test(FashionScenarios.VALIDATION), FashionScenarios.BATCH,
                                FashionScenarios.EPOCHS)),
                BuiltScenario.healthy("healthy-cg-dropout-l2", "784-128-64-10 graph, .dropOut(0.8) (keep 80%) and"
                                + " .l2(1e-4), Adam(1e-3)", ModelKind.COMPUTATION_GRAPH, Family.CG,
                        d -> FashionScenarios.standard(d, DenseNet.seeded(d.seed()).dropOut(0.8).l2(1e-4).graph())));
    }

    /** @return the data with its label rows permuted by the seed */
    static DataSet shuffleLabels(DataSet data, long seed) {
        int n = data.numExamples();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed + 1000);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        INDArray labels = Nd4j.pullRows(data.getLabels(), 1, order);
        return new DataSet(data.getFeatures(), labels);
    }
}
