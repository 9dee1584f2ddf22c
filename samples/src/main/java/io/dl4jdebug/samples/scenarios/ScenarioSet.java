package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Symptom;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The labelled scenario set: the gallery's seven feed-forward bugs (labelled with their root cause), the
 * Fashion-MNIST MultiLayerNetwork bugs, the ComputationGraph scenarios, the recurrent ones (the gallery's two
 * recurrent bugs and a healthy recurrent network on 28-step Fashion-MNIST sequences), and the healthy networks.
 * Stateless.
 */
public final class ScenarioSet {

    private static final List<LabelledScenario> ALL = Stream.of(gallery(), FashionScenarios.all(),
            GraphScenarios.all(), recurrent()).flatMap(List::stream).toList();

    private ScenarioSet() {
    }

    /** @return every scenario, bugs before healthy networks within each group */
    public static List<LabelledScenario> all() {
        return ALL;
    }

    /**
     * The reading the {@code scenarios} command and the tests score: the verified incidents, as every front end
     * shows them ({@link IncidentReading}); {@link #baseline()} is the raw findings' order before incidents existed.
     *
     * @return the current reading
     */
    public static DiagnosisReading reading() {
        return new IncidentReading();
    }

    /** @return the reading of version 1 (raw findings in {@link io.dl4jdebug.diagnose.FindingOrder}), for comparison */
    public static DiagnosisReading baseline() {
        return new FindingOrderReading();
    }

    /**
     * @param name a scenario's name
     * @return the scenario, empty when none has that name
     */
    public static Optional<LabelledScenario> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * @param names scenario names
     * @return those scenarios, in the given order
     * @throws IllegalArgumentException naming the unknown names and the known ones
     */
    public static List<LabelledScenario> byNames(List<String> names) {
        List<LabelledScenario> found = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            byName(n).ifPresentOrElse(found::add, () -> unknown.add(n));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no scenario named " + unknown + "; the scenarios are: " + names());
        }
        return found;
    }

    /** @return the names, comma separated */
    public static String names() {
        return ALL.stream().map(LabelledScenario::name).collect(Collectors.joining(", "));
    }

    private static List<LabelledScenario> recurrent() {
        return List.of(
                GalleryScenario.of("exploding-rnn", RootCause.of(Symptom.EXPLODING_GRADIENT, "rnn")),
                GalleryScenario.of("saturated-rnn", RootCause.of(Symptom.SATURATED_ACTIVATIONS, "rnn")),
                new BuiltScenario("healthy-rnn", "SimpleRnn (32, tanh, Xavier) over 28-step Fashion-MNIST sequences, "
                        + "Adam(5e-3)", RootCause.healthy(), io.dl4jdebug.model.ModelKind.MULTI_LAYER_NETWORK,
                        d -> ScenarioSetup.of(io.dl4jdebug.samples.gallery.SaturatedRnn.learning(d.fashion()))));
    }

    private static List<LabelledScenario> gallery() {
        return List.of(
                GalleryScenario.of("lr-too-high", RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH)),
                GalleryScenario.of("deep-sigmoid", RootCause.of(Symptom.VANISHING_GRADIENT)),
                GalleryScenario.of("dead-relu", RootCause.of(Symptom.DEAD_UNITS, "dense1", "dense2")),
                GalleryScenario.of("overfitting", RootCause.of(Symptom.OVERFITTING)),
                GalleryScenario.of("unnormalized", RootCause.of(Symptom.DATA_UNNORMALIZED)),
                GalleryScenario.of("frozen-layer", RootCause.of(Symptom.WEIGHTS_NOT_UPDATING, "dense2")),
                GalleryScenario.of("leaked-validation", RootCause.of(Symptom.DATA_LEAKAGE)));
    }
}
