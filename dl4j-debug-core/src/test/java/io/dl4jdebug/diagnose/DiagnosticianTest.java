package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** The diagnosis on hand-made findings and configurations: grouping, causal folding, contradictions, fix text. */
class DiagnosticianTest {

    private static final LossSummary LEARNED = new LossSummary(300, 10, 2.3, 0.5, 0.6, 0);
    private static final LossSummary STUCK = new LossSummary(300, 10, 2.3026, 2.3020, 2.3026, 0);

    private static LayerFacts dense(String name, int position, String activation, double bias, String input) {
        return new LayerFacts(name, position, "DenseLayer", activation, "Relu", OptionalDouble.of(bias),
                OptionalDouble.empty(), false, OptionalDouble.empty(), OptionalDouble.empty(), 0, "Adam",
                OptionalDouble.of(1e-3), "None", input == null ? List.of() : List.of(input), true, false);
    }

    private static LayerFacts batchNorm(String name, int position, double gamma, String input) {
        return new LayerFacts(name, position, "BatchNormalization", "none", "", OptionalDouble.empty(),
                OptionalDouble.of(gamma), false, OptionalDouble.of(0.9), OptionalDouble.empty(), 0, "Adam",
                OptionalDouble.of(1e-3), "None", List.of(input), true, false);
    }

    private static LayerFacts conv(String name, int position, String input) {
        return new LayerFacts(name, position, "ConvolutionLayer", "identity", "Relu", OptionalDouble.of(0),
                OptionalDouble.empty(), false, OptionalDouble.empty(), OptionalDouble.empty(), 0, "Adam",
                OptionalDouble.of(1e-3), "None", List.of(input), true, false);
    }

    private static LayerFacts output(int position, String input) {
        return new LayerFacts("out", position, "OutputLayer", "softmax", "Xavier", OptionalDouble.of(0),
                OptionalDouble.empty(), false, OptionalDouble.empty(), OptionalDouble.empty(), 0, "Adam",
                OptionalDouble.of(1e-3), "None", List.of(input), true, true);
    }

    private static NetworkFacts reluMlp() {
        return new NetworkFacts(List.of(dense("h0", 0, "relu", 0, null), dense("h1", 1, "relu", 0, "h0"),
                dense("h2", 2, "relu", 0, "h1"), output(3, "h2")), "MCXENT", "softmax");
    }

    private static Finding f(Symptom s, Severity sev, String layer, String param, long it) {
        return Finding.builder(s, sev, s + " at " + layer).layer(layer).parameter(param).firstIteration(it)
                .suggest("generic fix of " + s).build();
    }

    @Test
    void batchNormCauseFoldsTwentyFourMissingGradientsIntoOneEntryAndTheZeroOutputIsACollapse() {
        NetworkFacts facts = new NetworkFacts(List.of(conv("stem", 0, "in"), batchNorm("stem_bn", 1, 0, "stem"),
                conv("c1", 2, "stem_bn"), batchNorm("c1_bn", 3, 0, "c1"), output(4, "c1_bn")), "MCXENT", "softmax");
        List<Finding> findings = new ArrayList<>();
        for (String layer : List.of("stem", "c1", "stem_bn", "c1_bn")) {
            for (int k = 0; k < 6; k++) {
                findings.add(f(Symptom.GRADIENT_MISSING, Severity.ERROR, layer, "p" + k, 0));
            }
        }
        findings.add(f(Symptom.BATCHNORM_MISCONFIGURED, Severity.ERROR, "stem_bn", null, 0));
        findings.add(f(Symptom.DEAD_UNITS, Severity.WARN, "c1_bn", null, 10));

        Diagnosis d = Diagnostician.diagnose(findings, facts, STUCK);

        assertThat(d.loud()).hasSize(1);
        Incident first = d.incidents().get(0);
        assertThat(first.symptom()).isEqualTo(Symptom.BATCHNORM_MISCONFIGURED);
        assertThat(first.consequences()).extracting(SymptomGroup::symptom)
                .containsExactly(Symptom.GRADIENT_MISSING, Symptom.ACTIVATION_COLLAPSE);
        assertThat(first.consequences().get(0).findings()).hasSize(24);
        assertThat(first.consequences().get(0).layers()).hasSize(4);
        assertThat(first.explains()).contains("GRADIENT_MISSING on 24 parameters in 4 layers");
        assertThat(first.fix().get(0)).contains("stem_bn, c1_bn: .gamma(1.0) instead of .gamma(0.0)");
        assertThat(first.remedies().get(0).kind()).isEqualTo(Remedy.Kind.SET_GAMMA);
        assertThat(d.dismissed()).extracting(x -> x.finding().symptom()).containsExactly(Symptom.DEAD_UNITS);
        assertThat(d.orderedFindings().get(0).role()).isEqualTo(Role.ROOT);
        assertThat(d.orderedFindings().get(0).finding().symptom()).isEqualTo(Symptom.BATCHNORM_MISCONFIGURED);
        assertThat(d.orderedFindings()).hasSize(26);
        assertThat(d.orderedFindings().subList(1, 26)).allMatch(p -> p.role() == Role.CONSEQUENCE);
    }

    @Test
    void tooHighAndTooLowLearningRateNeverStandTogetherAndDeadUnitsFoldUnderTheHighRate() {
        List<Finding> findings = List.of(
                f(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, "h0", null, 0),
                f(Symptom.DEAD_UNITS, Severity.WARN, "h1", null, 10),
                f(Symptom.VANISHING_GRADIENT, Severity.WARN, "h0", "W", 20),
                f(Symptom.ACTIVATION_COLLAPSE, Severity.ERROR, "h2", null, 20),
                f(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, "h2", "W", 40),
                f(Symptom.OVERFITTING, Severity.WARN, null, null, 100));

        Diagnosis d = Diagnostician.diagnose(findings, reluMlp(), STUCK);

        assertThat(d.loud()).hasSize(1);
        Incident first = d.incidents().get(0);
        assertThat(first.symptom()).isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
        assertThat(first.consequences()).extracting(SymptomGroup::symptom).containsExactly(Symptom.DEAD_UNITS,
                Symptom.VANISHING_GRADIENT, Symptom.ACTIVATION_COLLAPSE);
        assertThat(d.dismissed()).extracting(x -> x.finding().symptom())
                .containsExactlyInAnyOrder(Symptom.LEARNING_RATE_TOO_LOW, Symptom.OVERFITTING);
        assertThat(d.dismissed()).filteredOn(x -> x.finding().symptom() == Symptom.OVERFITTING)
                .singleElement().extracting(Dismissal::reason).asString().contains("never went below");
        assertThat(first.fix().get(0)).isEqualTo(".updater(new Adam(1.0e-4)) instead of new Adam(0.001)");
    }

    @Test
    void aRunThatLearnedKeepsItsFittingVerdictAndTheLatestOfOverAndUnderfittingStands() {
        List<Finding> findings = List.of(f(Symptom.UNDERFITTING, Severity.WARN, null, null, 50),
                f(Symptom.OVERFITTING, Severity.WARN, null, null, 200));
        Diagnosis d = Diagnostician.diagnose(findings, reluMlp(), LEARNED);
        assertThat(d.incidents()).extracting(Incident::symptom).containsExactly(Symptom.OVERFITTING);
        assertThat(d.dismissed()).singleElement().extracting(Dismissal::reason).asString()
                .contains("superseded by the later verdict OVERFITTING");
    }

    @Test
    void overfittingOfAModelWhoseValidationLossNeverBeatTheStartIsNoVerdict() {
        Finding gap = Finding.builder(Symptom.OVERFITTING, Severity.WARN, "validation 2.6 vs training 2.1")
                .firstIteration(103).evidence("trainLoss", 2.1).evidence("validationLoss", 2.6).build();
        Diagnosis d = Diagnostician.diagnose(List.of(gap), reluMlp(), new LossSummary(300, 10, 2.37, 2.0, 2.03, 0));
        assertThat(d.incidents()).isEmpty();
        assertThat(d.dismissed()).singleElement().extracting(Dismissal::reason).asString()
                .contains("has not learned anything that generalises");
        Finding real = Finding.builder(Symptom.OVERFITTING, Severity.WARN, "validation 0.9 vs training 0.07")
                .firstIteration(100).evidence("trainLoss", 0.07).evidence("validationLoss", 0.9).build();
        assertThat(Diagnostician.diagnose(List.of(real), reluMlp(), LEARNED).incidents()).hasSize(1);
    }

    @Test
    void fixesNeverProposeWhatTheNetworkAlreadyHas() {
        Diagnosis relu = Diagnostician.diagnose(List.of(f(Symptom.VANISHING_GRADIENT, Severity.WARN, "h0", "W", 0)),
                reluMlp(), LEARNED);
        assertThat(relu.incidents().get(0).fix()).noneMatch(s -> s.contains("Activation.RELU"))
                .noneMatch(s -> s.contains("biasInit"));

        NetworkFacts sigmoid = new NetworkFacts(List.of(dense("h0", 0, "sigmoid", 0, null),
                dense("h1", 1, "sigmoid", 0, "h0"), output(2, "h1")), "MCXENT", "softmax");
        Diagnosis deep = Diagnostician.diagnose(List.of(f(Symptom.VANISHING_GRADIENT, Severity.WARN, "h0", "W", 0)),
                sigmoid, LEARNED);
        assertThat(deep.incidents().get(0).fix().get(0))
                .isEqualTo("h0, h1: .activation(Activation.RELU).weightInit(WeightInit.RELU) instead of sigmoid: a "
                        + "stack of 2 saturating layers shrinks the gradient at every layer");

        NetworkFacts negativeBias = new NetworkFacts(List.of(dense("h0", 0, "relu", -5, null), output(1, "h0")),
                "MCXENT", "softmax");
        Diagnosis dead = Diagnostician.diagnose(List.of(f(Symptom.DEAD_UNITS, Severity.WARN, "h0", null, 0)),
                negativeBias, LEARNED);
        assertThat(dead.incidents().get(0).fix().get(0)).startsWith("h0: .biasInit(0.0) instead of .biasInit(-5.0)");
        Diagnosis deadZeroBias = Diagnostician.diagnose(List.of(f(Symptom.DEAD_UNITS, Severity.WARN, "h1", null, 0)),
                reluMlp(), LEARNED);
        assertThat(deadZeroBias.incidents().get(0).fix()).noneMatch(s -> s.contains("biasInit"));
    }

    @Test
    void deadUnitsOnASigmoidLayerAreDismissedAndSaturationOnReluToo() {
        NetworkFacts facts = new NetworkFacts(List.of(dense("h0", 0, "sigmoid", 0, null), dense("h1", 1, "relu", 0,
                "h0"), output(2, "h1")), "MCXENT", "softmax");
        Diagnosis d = Diagnostician.diagnose(List.of(f(Symptom.DEAD_UNITS, Severity.WARN, "h0", null, 0),
                f(Symptom.SATURATED_ACTIVATIONS, Severity.WARN, "h1", null, 0)), facts, LEARNED);
        assertThat(d.incidents()).isEmpty();
        assertThat(d.dismissed()).hasSize(2);
    }

    @Test
    void aBiasRightBeforeBatchNormIsOneQuietNoteNotAVanishingGradient() {
        NetworkFacts facts = new NetworkFacts(List.of(conv("c0", 0, "in"), batchNorm("bn0", 1, 1, "c0"),
                conv("c1", 2, "bn0"), batchNorm("bn1", 3, 1, "c1"), output(4, "bn1")), "MCXENT", "softmax");
        Diagnosis d = Diagnostician.diagnose(List.of(f(Symptom.VANISHING_GRADIENT, Severity.WARN, "c0", "b", 10),
                f(Symptom.VANISHING_GRADIENT, Severity.WARN, "c1", "b", 10)), facts, LEARNED);
        assertThat(d.loud()).isEmpty();
        assertThat(d.incidents()).singleElement().satisfies(i -> {
            assertThat(i.symptom()).isEqualTo(Symptom.REDUNDANT_PARAMETER);
            assertThat(i.severity()).isEqualTo(Severity.INFO);
            assertThat(i.fix().get(0)).contains("c0, c1: .hasBias(false)");
        });
    }

    @Test
    void positionKeepsADeadLayerFromExplainingAVanishingGradientFarDownstream() {
        NetworkFacts facts = new NetworkFacts(List.of(dense("h0", 0, "relu", 0, null), dense("h1", 1, "relu", 0,
                "h0"), dense("h2", 2, "relu", 0, "h1"), dense("h3", 3, "relu", 0, "h2"), output(4, "h3")),
                "MCXENT", "softmax");
        Diagnosis far = Diagnostician.diagnose(List.of(f(Symptom.DEAD_UNITS, Severity.WARN, "h0", null, 10),
                f(Symptom.VANISHING_GRADIENT, Severity.WARN, "h3", "W", 20)), facts, LEARNED);
        assertThat(far.incidents()).hasSize(2);
        Diagnosis near = Diagnostician.diagnose(List.of(f(Symptom.DEAD_UNITS, Severity.WARN, "h2", null, 10),
                f(Symptom.VANISHING_GRADIENT, Severity.WARN, "h0", "W", 20)), facts, LEARNED);
        assertThat(near.incidents()).singleElement().extracting(Incident::symptom).isEqualTo(Symptom.DEAD_UNITS);
    }

    @Test
    void independentProblemsStaySeparateIncidentsAndAConsequenceNeverOutranksItsCause() {
        Diagnosis d = Diagnostician.diagnose(List.of(
                f(Symptom.WEIGHTS_NOT_UPDATING, Severity.WARN, "h1", "W", 10),
                f(Symptom.DATA_LEAKAGE, Severity.ERROR, null, null, 0),
                f(Symptom.DEAD_UNITS, Severity.WARN, "h1", null, 10)), reluMlp(), LEARNED);
        assertThat(d.incidents()).extracting(Incident::symptom).containsExactly(Symptom.DATA_LEAKAGE,
                Symptom.DEAD_UNITS);
        assertThat(d.incidents().get(1).consequences()).extracting(SymptomGroup::symptom)
                .containsExactly(Symptom.WEIGHTS_NOT_UPDATING);
        for (CausalEdges.Edge e : CausalEdges.all()) {
            assertThat(e.reason()).isNotBlank();
        }
    }

    @Test
    void aConfirmedRemedyThatNamesAnotherCauseBecomesTheRootAndRanksFirst() {
        Diagnosis d = Diagnostician.diagnose(List.of(f(Symptom.NON_FINITE, Severity.ERROR, "h1", null, 3),
                f(Symptom.DATA_LEAKAGE, Severity.ERROR, null, null, 0)), reluMlp(), LEARNED);
        assertThat(d.incidents()).extracting(Incident::symptom).containsExactly(Symptom.DATA_LEAKAGE,
                Symptom.NON_FINITE);
        Incident nan = d.incidents().get(1);
        Remedy lower = nan.remedies().stream().filter(r -> r.kind() == Remedy.Kind.SCALE_LEARNING_RATE).findFirst()
                .orElseThrow();
        Verification v = new Verification(lower, true, 60, 2.3, Double.NaN, 2.3, 0.9, List.of(Symptom.NON_FINITE),
                List.of(), new Verification.HeldOut(Verification.Metric.ACCURACY, 128, "held back", List.of(0.10, 0.11, 0.10), 0.70, 0.01, 0.02), 1.5);

        Diagnosis verified = d.withVerifications(Map.of(nan.id(), v));

        Incident first = verified.incidents().get(0);
        assertThat(first.symptom()).isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
        assertThat(first.id()).isEqualTo(1);
        assertThat(first.consequences()).extracting(SymptomGroup::symptom).containsExactly(Symptom.NON_FINITE);
        assertThat(first.fix().get(0)).isEqualTo(lower.text());
        assertThat(first.root().worst().message()).startsWith("verified cause: ").contains("unchanged copy: 2.300 -> NaN");
        assertThat(verified.incidents().get(1).symptom()).isEqualTo(Symptom.DATA_LEAKAGE);
    }

    @Test
    void aRemedyThatWasNotConfirmedChangesNothingButIsReported() {
        Diagnosis d = Diagnostician.diagnose(List.of(f(Symptom.DEAD_UNITS, Severity.WARN, "h1", null, 3)),
                reluMlp(), LEARNED);
        Remedy r = d.incidents().get(0).remedies().get(0);
        Verification v = new Verification(r, false, 60, 2.3, 1.0, 2.3, 1.0, List.of(), List.of(Symptom.DEAD_UNITS),
                new Verification.HeldOut(Verification.Metric.ACCURACY, 128, "held back", List.of(0.10, 0.11, 0.10), 0.11, 0.01, 0.02), 1.0);
        Diagnosis after = d.withVerifications(Map.of(1, v));
        assertThat(after.incidents().get(0).symptom()).isEqualTo(Symptom.DEAD_UNITS);
        assertThat(after.incidents().get(0).verification().summary()).startsWith("not confirmed")
                .contains("still there: DEAD_UNITS");
    }

    private static NetworkFacts sgdMlp(double rate) {
        List<LayerFacts> layers = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < 3; i++) {
            layers.add(new LayerFacts("h" + i, i, "DenseLayer", "relu", "Relu", OptionalDouble.of(0),
                    OptionalDouble.empty(), false, OptionalDouble.empty(), OptionalDouble.empty(), 0, "Sgd",
                    OptionalDouble.of(rate), "None", previous == null ? List.of() : List.of(previous), true, i == 2));
            previous = "h" + i;
        }
        return new NetworkFacts(layers, "MCXENT", "softmax");
    }

    @Test
    void aHighUpdateRatioNextToExplodingGradientsIsTheirConsequenceUnlessTheConfiguredRateIsImplausible() {
        Finding exploding = f(Symptom.EXPLODING_GRADIENT, Severity.WARN, "h0", "W", 0);
        Finding ratio = Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, "update:param ratio 1.06")
                .layer("h0").parameter("W").firstIteration(0).evidence("updateRatio", 1.06).build();
        Finding configured = Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.ERROR, "Sgd rate 10")
                .layer("h0").firstIteration(0).evidence("learningRate", 10).evidence("maxLearningRate", 1).build();

        Diagnosis measuredOnly = Diagnostician.diagnose(List.of(ratio, exploding), sgdMlp(0.01), STUCK);
        Diagnosis withConfiguredRate = Diagnostician.diagnose(List.of(exploding, ratio, configured), sgdMlp(10),
                STUCK);

        assertThat(measuredOnly.incidents()).hasSize(1);
        assertThat(measuredOnly.first().orElseThrow().root().symptom()).isEqualTo(Symptom.EXPLODING_GRADIENT);
        assertThat(measuredOnly.first().orElseThrow().consequences()).extracting(SymptomGroup::symptom)
                .containsExactly(Symptom.LEARNING_RATE_TOO_HIGH);
        assertThat(withConfiguredRate.first().orElseThrow().root().symptom())
                .isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
    }

    @Test
    void theConfiguredRateStandsForItsGroupBeforeTheMeasuredRatiosOfTheSameIteration() {
        Finding ratio = Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, "update:param ratio of out/W")
                .layer("out").parameter("W").firstIteration(0).evidence("updateRatio", 0.3).build();
        Finding configured = Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, "Adam rate 0.5")
                .layer("h0").firstIteration(0).evidence("learningRate", 0.5).evidence("maxLearningRate", 0.01)
                .build();

        SymptomGroup group = Diagnostician.diagnose(List.of(ratio, configured), reluMlp(), STUCK).first()
                .orElseThrow().root();

        assertThat(group.worst()).isEqualTo(configured);
        assertThat(group.layers()).containsExactly("h0", "out");
    }
}
