package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;

import java.util.Optional;

/**
 * One scenario of the labelled set: a training setup with one known bug (or none) and the root cause a diagnosis
 * should name first. Implementations are stateless: every {@link #setup} builds a fresh network.
 */
public interface LabelledScenario {

    /** @return a unique name, lower case with dashes */
    String name();

    /** @return one line: what is wrong (or, for a healthy network, what it is) */
    String description();

    /** @return the root cause, or {@link RootCause#healthy()} */
    RootCause label();

    /** @return whether the network is a MultiLayerNetwork or a ComputationGraph */
    ModelKind kind();

    /** @return the family of model it trains (dense MultiLayerNetwork, graph, CNN, RNN, Keras import) */
    Family family();

    /**
     * @param data the examples to draw from
     * @return a fresh, initialised network and the data it trains on
     */
    ScenarioSetup setup(ScenarioData data);

    /**
     * The bug's healthy twin: the same network and data with only the buggy setting corrected, trained to measure
     * that the bug harms training ({@link TwinMeasurement}).
     *
     * @param data the examples to draw from
     * @return the twin's setup, empty for a healthy scenario or a bug written before twins were measured
     */
    default Optional<ScenarioSetup> twin(ScenarioData data) {
        return Optional.empty();
    }
}
