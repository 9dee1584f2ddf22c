package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A scenario written as a value: its label and a function that builds the setup (and, for a bug measured against its
 * healthy twin, the twin's setup).
 *
 * @param name        unique name, lower case with dashes
 * @param description one line: the bug, or what the healthy network is
 * @param label       the root cause
 * @param kind        the model kind the builder returns
 * @param family      the family of model
 * @param builder     builds a fresh setup from the data
 * @param twinBuilder builds the healthy twin's setup, null when there is none
 */
public record BuiltScenario(String name, String description, RootCause label, ModelKind kind, Family family,
                            Function<ScenarioData, ScenarioSetup> builder,
                            Function<ScenarioData, ScenarioSetup> twinBuilder) implements LabelledScenario {

    /** Validates the fields. */
    public BuiltScenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(builder, "builder");
        if (label.isHealthy() && twinBuilder != null) {
            throw new IllegalArgumentException(name + ": a healthy scenario has no healthy twin");
        }
    }

    /**
     * A scenario without a twin, its family read from the kind (a dense MultiLayerNetwork or graph).
     *
     * @param name        unique name
     * @param description one line
     * @param label       the root cause
     * @param kind        the model kind
     * @param builder     builds the setup
     */
    public BuiltScenario(String name, String description, RootCause label, ModelKind kind,
                         Function<ScenarioData, ScenarioSetup> builder) {
        this(name, description, label, kind, kind == ModelKind.COMPUTATION_GRAPH ? Family.CG : Family.MLN, builder,
                null);
    }

    /**
     * A bug and its healthy twin from one function, so that the two differ only where the function asks.
     *
     * @param name        unique name
     * @param description one line: the bug
     * @param label       the root cause
     * @param kind        the model kind
     * @param family      the family of model
     * @param setup       builds the setup with the bug (true) or its twin without it (false)
     * @return the scenario
     */
    public static BuiltScenario bug(String name, String description, RootCause label, ModelKind kind, Family family,
                                    BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return new BuiltScenario(name, description, label, kind, family, d -> setup.apply(d, true),
                d -> setup.apply(d, false));
    }

    /**
     * @param name        unique name
     * @param description one line: what the network is
     * @param kind        the model kind
     * @param family      the family of model
     * @param setup       builds the setup
     * @return a healthy scenario
     */
    public static BuiltScenario healthy(String name, String description, ModelKind kind, Family family,
                                        Function<ScenarioData, ScenarioSetup> setup) {
        return new BuiltScenario(name, description, RootCause.healthy(), kind, family, setup, null);
    }

    @Override
    public ScenarioSetup setup(ScenarioData data) {
        return builder.apply(data);
    }

    @Override
    public Optional<ScenarioSetup> twin(ScenarioData data) {
        return twinBuilder == null ? Optional.empty() : Optional.of(twinBuilder.apply(data));
    }
}
