package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fix of steps of the wrong size names the station on the gradient-to-update path that is wrong (schedule,
 * clipping, epsilon, averaging, momentum) before the learning rate, on hand-made configurations.
 */
class UpdatePathTest {

    private static final LossSummary STUCK = new LossSummary(300, 10, 2.3026, 2.3020, 2.3026, 0);

    private static NetworkFacts facts(String updater, double rate, String clipping, LayerSettings settings,
                                      boolean averaged) {
        List<LayerFacts> layers = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < 3; i++) {
            layers.add(new LayerFacts("h" + i, i, i == 2 ? "OutputLayer" : "DenseLayer", i == 2 ? "softmax" : "relu",
                    "Relu", OptionalDouble.of(0), OptionalDouble.empty(), false, OptionalDouble.empty(),
                    OptionalDouble.empty(), 0, updater, OptionalDouble.of(rate), clipping,
                    previous == null ? List.of() : List.of(previous), true, i == 2, settings));
            previous = "h" + i;
        }
        return new NetworkFacts(layers, "MCXENT", "softmax", 0, averaged, true, List.of());
    }

    private static LayerSettings settings(Map<String, Double> updater, String schedule, List<Double> byIteration,
                                          double clip) {
        return new LayerSettings(32, 0, 0, clip, updater, schedule, byIteration,
                byIteration.isEmpty() ? List.of() : List.of(byIteration.get(0)), false);
    }

    private static Finding tinyRatio(long iteration, double gradientNorm) {
        return Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, "update:param ratio of h0/W is 1e-7")
                .layer("h0").parameter("W").firstIteration(iteration).evidence("updateRatio", 1e-7)
                .evidence("gradientNorm", gradientNorm).evidence("minibatch", 32).evidence("epoch", 0).build();
    }

    private static Incident first(NetworkFacts facts, Finding... findings) {
        return Diagnostician.diagnose(List.of(findings), facts, STUCK).first().orElseThrow();
    }

    @Test
    void aScheduleThatDecayedTheRateToNothingIsTheSettingNotTheRate() {
        List<Double> decayed = new ArrayList<>();
        for (long i : LayerSettings.SAMPLED_ITERATIONS) {
            decayed.add(0.01 * Math.pow(0.5, i));
        }
        Incident i = first(facts("Adam", 0.01, "None", settings(Map.of("epsilon", 1e-8), "Exp(0.5)", decayed, 0),
                true), tinyRatio(50, 3.0));
        assertThat(i.setting()).contains(Setting.LEARNING_RATE_SCHEDULE);
        assertThat(i.remedies().get(0).kind()).isEqualTo(Remedy.Kind.REMOVE_SCHEDULE);
        assertThat(i.remedies().get(0).value()).isEqualTo(0.01);
    }

    @Test
    void aClipThresholdFarBelowTheAveragedGradientIsTheSetting() {
        Incident i = first(facts("Sgd", 0.1, "ClipL2PerLayer", settings(Map.of(), "", List.of(), 1e-4), true),
                tinyRatio(30, 32 * 0.5));
        assertThat(i.setting()).contains(Setting.GRADIENT_NORMALIZATION);
        assertThat(i.remedies().get(0).text()).contains("threshold 1.0e-4");
    }

    @Test
    void aLargeAdamEpsilonIsTheSetting() {
        Incident i = first(facts("Adam", 1e-3, "None", settings(Map.of("epsilon", 1.0), "", List.of(), 0), true),
                tinyRatio(30, 0.05));
        assertThat(i.setting()).contains(Setting.UPDATER);
        assertThat(i.remedies().get(0).argument()).isEqualTo("epsilon");
    }

    @Test
    void withEveryStationRightTheRateItselfIsRaised() {
        Incident i = first(facts("Sgd", 1e-6, "None", settings(Map.of(), "", List.of(), 0), true),
                tinyRatio(30, 3.0));
        assertThat(i.setting()).contains(Setting.LEARNING_RATE);
        assertThat(i.remedies().get(0).kind()).isEqualTo(Remedy.Kind.RAISE_LEARNING_RATE);
    }

    @Test
    void summedMinibatchGradientsComeBeforeTheRateForExplodingSteps() {
        Finding exploding = Finding.builder(Symptom.EXPLODING_GRADIENT, Severity.ERROR, "gradient norm 1e4")
                .layer("h0").parameter("W").firstIteration(2).build();
        Incident summed = first(facts("Sgd", 0.01, "None", settings(Map.of(), "", List.of(), 0), false), exploding);
        assertThat(summed.setting()).contains(Setting.MINIBATCH_AVERAGING);

        Incident momentum = first(facts("Nesterovs", 0.01, "None", settings(Map.of("momentum", 0.999), "",
                List.of(), 0), true), exploding);
        assertThat(momentum.setting()).contains(Setting.UPDATER);
        assertThat(momentum.remedies().get(0).argument()).isEqualTo("momentum");
    }

    @Test
    void theHeadlineIsShortAndNamesTheSettingWhileTheEvidenceKeepsTheWholeMessage() {
        String longMessage = "dead units 97% on " + "layer_with_a_long_name, ".repeat(40) + "end";
        Finding dead = Finding.builder(Symptom.DEAD_UNITS, Severity.ERROR, longMessage).layer("h0")
                .firstIteration(0).build();
        Incident i = first(facts("Adam", 1e-3, "None", LayerSettings.UNKNOWN, true), dead);
        assertThat(i.headline()).hasSizeLessThanOrEqualTo(Incident.HEADLINE_LENGTH)
                .startsWith("ERROR DEAD_UNITS at h0 (it. 0) [activation]: dead units 97%");
        assertThat(i.evidence().get(0)).isEqualTo(longMessage);
    }
}
