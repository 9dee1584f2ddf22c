package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;

/**
 * The labelled scenario set: the gallery's seven feed-forward bugs (labelled with their root cause), the
 * Fashion-MNIST MultiLayerNetwork bugs, the ComputationGraph scenarios, the recurrent ones, and the families written
 * with a healthy twin per bug (optimizer, init/activation/width, regularization/labels, CNN, Keras import), each
 * group with its healthy networks. Every scenario runs at each of {@link #SEEDS}. Stateless.
 */
public final class ScenarioSet {

    private static final List<LabelledScenario> ALL = Stream.of(gallery(), FashionScenarios.all(),
            GraphScenarios.all(), RecurrentScenarios.all(), OptimizerScenarios.all(), InitScenarios.all(),
            RegularizationScenarios.all(), CnnScenarios.all(), KerasScenarios.all()).flatMap(List::stream).toList();

    /** The seeds every scenario runs at: the networks' seed and the sample and order of the data. */
    public static final List<Long> SEEDS = List.of(1L, 2L, 3L);

    private ScenarioSet() {
    }

    /** @return every scenario, bugs before healthy networks within each group */
    public static List<LabelledScenario> all() {
        return ALL;
    }

    /** The names {@link #named} takes: this set (the default) and the two held-out sets. */
    public static final List<String> SET_NAMES = List.of("labelled", "held-out", "held-out-2");

    /**
     * @param set "labelled" (this set), "held-out" ({@link HeldOutScenarios}) or "held-out-2"
     *            ({@link HeldOut2Scenarios})
     * @return that set's scenarios
     * @throws IllegalArgumentException naming the valid sets
     */
    public static List<LabelledScenario> named(String set) {
        return switch (set) {
            case "labelled" -> ALL;
            case "held-out" -> HeldOutScenarios.all();
            case "held-out-2" -> HeldOut2Scenarios.all();
            default -> throw new IllegalArgumentException("--set " + set + " is not a scenario set: expected one of "
                    + SET_NAMES);
        };
    }

    /**
     * @param pool  the scenarios to pick from (a set)
     * @param names scenario names
     * @return those scenarios, in the given order
     * @throws IllegalArgumentException naming the unknown names and the known ones
     */
    public static List<LabelledScenario> byNames(List<LabelledScenario> pool, List<String> names) {
        List<LabelledScenario> found = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            pool.stream().filter(s -> s.name().equals(n)).findFirst().ifPresentOrElse(found::add,
                    () -> unknown.add(n));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no scenario named " + unknown + " in this set; its scenarios are: "
                    + pool.stream().map(LabelledScenario::name).collect(Collectors.joining(", ")));
        }
        return found;
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

    private static List<LabelledScenario> gallery() {
        return List.of(
                GalleryScenario.of("lr-too-high", RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE,
                        BEFORE_TRAINING)),
                GalleryScenario.of("deep-sigmoid", RootCause.of(Symptom.VANISHING_GRADIENT, Setting.ACTIVATION,
                        ONLY_IN_TRAINING)),
                GalleryScenario.of("dead-relu", RootCause.of(Symptom.DEAD_UNITS, Setting.BIAS_INIT, ONLY_IN_TRAINING,
                        "dense1", "dense2")),
                GalleryScenario.of("overfitting", RootCause.of(Symptom.OVERFITTING, Set.of(Setting.DATA_SPLIT,
                        Setting.TRAINING_LENGTH, Setting.REGULARIZATION), ONLY_IN_TRAINING)),
                GalleryScenario.of("unnormalized", RootCause.of(Symptom.DATA_UNNORMALIZED, Setting.INPUT_SCALE,
                        BEFORE_TRAINING)),
                GalleryScenario.of("frozen-layer", RootCause.of(Symptom.WEIGHTS_NOT_UPDATING, Setting.LEARNING_RATE,
                        BEFORE_TRAINING, "dense2")),
                GalleryScenario.of("leaked-validation", RootCause.of(Symptom.DATA_LEAKAGE, Setting.DATA_SPLIT,
                        BEFORE_TRAINING)));
    }
}
