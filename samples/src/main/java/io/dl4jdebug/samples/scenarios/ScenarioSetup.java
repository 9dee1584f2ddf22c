package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.samples.gallery.Scenario;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Objects;

/**
 * A network and the data it trains on: the gallery's {@link Scenario} for either model kind.
 *
 * @param network    an initialised MultiLayerNetwork or ComputationGraph (fresh for every run)
 * @param train      the training examples
 * @param validation the validation examples, or null for none
 * @param batch      minibatch size
 * @param epochs     passes over the training examples
 */
public record ScenarioSetup(Model network, DataSet train, DataSet validation, int batch, int epochs) {

    /** Validates the fields. */
    public ScenarioSetup {
        ModelView.requireSupported(Objects.requireNonNull(network, "network"));
        Objects.requireNonNull(train, "train");
        if (batch < 1 || epochs < 1) {
            throw new IllegalArgumentException("batch and epochs must be >= 1 but were " + batch + " and " + epochs);
        }
        if (train.numExamples() < batch) {
            throw new IllegalArgumentException("need at least one minibatch of " + batch + " examples, got "
                    + train.numExamples());
        }
    }

    /**
     * @param scenario a gallery scenario
     * @return the same network and data
     */
    public static ScenarioSetup of(Scenario scenario) {
        return new ScenarioSetup(scenario.network(), scenario.train(), scenario.validation(), scenario.batch(),
                scenario.epochs());
    }
}
