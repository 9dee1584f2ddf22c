package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** Verdicts are given only where they can hold for the network; the derived ranking puts causes first. */
class PreconditionsTest {

    private static final LossSummary LEARNED = new LossSummary(300, 10, 2.3, 0.5, 0.6, 0);

    private static NetworkFacts mlp(boolean batchNorm, boolean fresh, List<String> identical, int width) {
        List<LayerFacts> layers = new ArrayList<>();
        layers.add(new LayerFacts("h0", 0, "DenseLayer", "relu", "Relu", OptionalDouble.of(0), OptionalDouble.empty(),
                false, OptionalDouble.empty(), OptionalDouble.empty(), 0, "Adam", OptionalDouble.of(1e-3), "None",
                List.of(), true, false, new LayerSettings(width, 0, 0, 0, java.util.Map.of(), "", List.of(),
                List.of(), false)));
        String last = "h0";
        if (batchNorm) {
            layers.add(new LayerFacts("bn", 1, "BatchNormalization", "none", "", OptionalDouble.empty(),
                    OptionalDouble.of(1), false, OptionalDouble.of(0.9), OptionalDouble.empty(), 0, "Adam",
                    OptionalDouble.of(1e-3), "None", List.of("h0"), true, false));
            last = "bn";
        }
        layers.add(new LayerFacts("out", layers.size(), "OutputLayer", "softmax", "Xavier", OptionalDouble.of(0),
                OptionalDouble.empty(), false, OptionalDouble.empty(), OptionalDouble.empty(), 0, "Adam",
                OptionalDouble.of(1e-3), "None", List.of(last), true, true, new LayerSettings(10, 0, 0, 0,
                java.util.Map.of(), "", List.of(), List.of(), false)));
        return new NetworkFacts(layers, "MCXENT", "softmax", 0, true, fresh, identical);
    }

    private static Finding mismatch() {
        return Finding.builder(Symptom.TRAIN_INFERENCE_MISMATCH, Severity.ERROR, "inference 2.1 vs training 0.9")
                .firstIteration(99).evidence("inferenceModeLoss", 2.1).evidence("trainingModeLoss", 0.9).build();
    }

    @Test
    void aTrainInferenceMismatchWithoutBatchNormOrDropoutIsAnUnstableRun() {
        Diagnosis d = Diagnostician.diagnose(List.of(mismatch()), mlp(false, true, List.of(), 64), LEARNED);
        assertThat(d.incidents()).extracting(Incident::symptom).containsExactly(Symptom.LOSS_OSCILLATING);
        assertThat(d.dismissed()).extracting(x -> x.finding().symptom())
                .containsExactly(Symptom.TRAIN_INFERENCE_MISMATCH);

        Diagnosis withBn = Diagnostician.diagnose(List.of(mismatch()), mlp(true, true, List.of(), 64), LEARNED);
        assertThat(withBn.incidents()).extracting(Incident::symptom)
                .containsExactly(Symptom.TRAIN_INFERENCE_MISMATCH);
    }

    @Test
    void theInitialLossSaysNothingAboutTrainedWeights() {
        Finding init = Finding.builder(Symptom.INIT_LOSS_UNEXPECTED, Severity.WARN, "initial loss 9.1 vs ln(10)")
                .firstIteration(0).build();
        assertThat(Diagnostician.diagnose(List.of(init), mlp(false, false, List.of(), 64), LEARNED).incidents())
                .isEmpty();
        assertThat(Diagnostician.diagnose(List.of(init), mlp(false, true, List.of(), 64), LEARNED).incidents())
                .extracting(Incident::symptom).containsExactly(Symptom.INIT_LOSS_UNEXPECTED);
    }

    @Test
    void identicalUnitsAreTheRootOfTheGradientSymptomsTheyCause() {
        Finding missing = Finding.builder(Symptom.WEIGHTS_NOT_UPDATING, Severity.WARN, "h0/W does not change")
                .layer("h0").parameter("W").firstIteration(0).build();
        Diagnosis d = Diagnostician.diagnose(List.of(missing), mlp(false, true, List.of("h0"), 64), LEARNED);
        Incident first = d.first().orElseThrow();
        assertThat(first.symptom()).isEqualTo(Symptom.UNITS_IDENTICAL);
        assertThat(first.setting()).contains(Setting.WEIGHT_INIT);
        assertThat(first.consequences()).extracting(SymptomGroup::symptom)
                .containsExactly(Symptom.WEIGHTS_NOT_UPDATING);
    }

    @Test
    void aLayerNarrowerThanTheClassesIsLoudOnlyWhenTheRunLearnedLittle() {
        LossSummary stuck = new LossSummary(300, 10, 2.3, 1.5, 1.6, 0);
        Incident narrow = Diagnostician.diagnose(List.of(), mlp(false, true, List.of(), 3), stuck).first()
                .orElseThrow();
        assertThat(narrow.symptom()).isEqualTo(Symptom.LAYER_TOO_NARROW);
        assertThat(narrow.loud()).isTrue();
        assertThat(narrow.setting()).contains(Setting.LAYER_WIDTH);
        assertThat(Diagnostician.diagnose(List.of(), mlp(false, true, List.of(), 3), LEARNED).loud()).isEmpty();
        assertThat(Diagnostician.diagnose(List.of(), mlp(false, true, List.of(), 64), stuck).incidents()).isEmpty();
    }

    @Test
    void theOnePriorityListPutsEveryCauseBeforeWhatItExplainsUnlessTheyExplainEachOther() {
        List<Symptom> order = CausalEdges.PRIORITY;
        assertThat(order).doesNotHaveDuplicates().containsExactlyInAnyOrder(Symptom.values());
        for (CausalEdges.Edge e : CausalEdges.all()) {
            boolean mutual = reaches(e.effect(), e.cause());
            if (!mutual) {
                assertThat(order.indexOf(e.cause())).as("%s before %s", e.cause(), e.effect())
                        .isLessThan(order.indexOf(e.effect()));
            }
        }
    }

    private static boolean reaches(Symptom from, Symptom to) {
        java.util.Set<Symptom> seen = java.util.EnumSet.noneOf(Symptom.class);
        java.util.Deque<Symptom> todo = new java.util.ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            Symptom s = todo.pop();
            for (CausalEdges.Edge e : CausalEdges.all()) {
                if (e.cause() == s && seen.add(e.effect())) {
                    todo.add(e.effect());
                }
            }
        }
        return seen.contains(to);
    }
}
