package io.dl4jdebug.samples.gallery;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Objects;

/**
 * A network and the data it trains on: what one gallery run needs.
 *
 * @param network    an initialised network (fresh for every run)
 * @param train      the training examples
 * @param validation the validation examples, or null when the sample does not need them
 * @param batch      minibatch size
 * @param epochs     passes over the training examples
 */
public record Scenario(MultiLayerNetwork network, DataSet train, DataSet validation, int batch, int epochs) {

    /** Validates the fields. */
    public Scenario {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(train, "train");
        if (batch < 1 || epochs < 1) {
            throw new IllegalArgumentException("batch and epochs must be >= 1 but were " + batch + " and " + epochs);
        }
        if (train.numExamples() < batch) {
            throw new IllegalArgumentException("need at least one minibatch of " + batch + " examples, got "
                    + train.numExamples());
        }
    }

    /** @return minibatches per epoch (the last, partial one included) */
    public int batchesPerEpoch() {
        return (train.numExamples() + batch - 1) / batch;
    }
}
