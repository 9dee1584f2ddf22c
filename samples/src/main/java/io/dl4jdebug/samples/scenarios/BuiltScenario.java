package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;

import java.util.Objects;
import java.util.function.Function;

/**
 * A scenario written as a value: its label and a function that builds the setup.
 *
 * @param name        unique name, lower case with dashes
 * @param description one line: the bug, or what the healthy network is
 * @param label       the root cause
 * @param kind        the model kind the builder returns
 * @param builder     builds a fresh setup from the data
 */
public record BuiltScenario(String name, String description, RootCause label, ModelKind kind,
                            Function<ScenarioData, ScenarioSetup> builder) implements LabelledScenario {

    /** Validates the fields. */
    public BuiltScenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(builder, "builder");
    }

    @Override
    public ScenarioSetup setup(ScenarioData data) {
        return builder.apply(data);
    }
}
