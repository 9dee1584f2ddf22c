package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.cli.diagnose.KerasConfigs;
import io.dl4jdebug.cli.diagnose.KerasH5Writer;
import io.dl4jdebug.cli.diagnose.KerasModelLoader;
import io.dl4jdebug.cli.diagnose.KerasTraining;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The held-out set's Keras models: a Sequential {@code Dense(hidden, relu) -> Dense(10, output activation)} compiled
 * with {@code Adam(learning_rate, decay)} and a loss, written as a Keras 2 {@code .h5} file with {@link KerasH5Writer}
 * (Glorot-uniform kernels drawn from the seed, zero biases) into the work directory and imported as
 * {@code diagnose --model} does. Keras' {@code decay} becomes DL4J's {@code InverseSchedule(ITERATION, lr, decay, 1)}:
 * the rate at iteration t is {@code lr / (1 + decay t)}. Not thread safe (ND4J's random generator is seeded).
 *
 * @param hidden           units of the hidden layer
 * @param outputActivation the Keras activation of the output layer ({@code softmax}, {@code sigmoid}, ...)
 * @param loss             the compiled Keras loss
 * @param rate             Adam's learning rate
 * @param decay            Keras' per-iteration decay of the rate (0 for none)
 * @param epsilon          Adam's epsilon (Keras' default 1e-7)
 */
record HeldOutKeras(int hidden, String outputActivation, String loss, double rate, double decay, double epsilon) {

    /** Validates the fields. */
    HeldOutKeras {
        Objects.requireNonNull(outputActivation, "outputActivation");
        Objects.requireNonNull(loss, "loss");
        if (hidden < 1 || !(epsilon > 0)) {
            throw new IllegalArgumentException("hidden must be >= 1 and epsilon > 0 but were " + hidden + " and "
                    + epsilon);
        }
    }

    /** A model compiled with Keras' default epsilon 1e-7. */
    HeldOutKeras(int hidden, String outputActivation, String loss, double rate, double decay) {
        this(hidden, outputActivation, loss, rate, decay, 1e-7);
    }

    /**
     * @param d    the data (seed and work directory)
     * @param file the file's base name (the seed is appended)
     * @return the imported network (a MultiLayerNetwork: Keras layers {@code hidden}, {@code probs},
     *         {@code probs_loss})
     */
    Model load(ScenarioData d, String file) {
        Path path = d.workFile(file + "-" + d.seed() + ".h5");
        Nd4j.getRandom().setSeed(d.seed());
        new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Dense", "hidden", KerasConfigs.dense(hidden, "relu", 784), null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(10, outputActivation, 0), null))))
                .training(training())
                .weight("hidden", "kernel", glorot(784, hidden))
                .weight("hidden", "bias", Nd4j.zeros(DataType.FLOAT, hidden))
                .weight("probs", "kernel", glorot(hidden, 10))
                .weight("probs", "bias", Nd4j.zeros(DataType.FLOAT, 10))
                .write(path);
        return KerasModelLoader.load(path, new KerasTraining(null, null, null)).model();
    }

    /** @return the training_config {@code model.compile(loss, Adam(learning_rate, decay=...))} leaves */
    private String training() {
        Map<String, Object> adam = new LinkedHashMap<>();
        adam.put("name", "Adam");
        adam.put("learning_rate", rate);
        adam.put("decay", decay);
        adam.put("beta_1", 0.9);
        adam.put("beta_2", 0.999);
        adam.put("epsilon", epsilon);
        adam.put("amsgrad", false);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("loss", loss);
        training.put("metrics", List.of("accuracy"));
        training.put("weighted_metrics", null);
        training.put("loss_weights", null);
        training.put("optimizer_config", Map.of("class_name", "Adam", "config", adam));
        return KerasConfigs.json(training);
    }

    private static INDArray glorot(int fanIn, int fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        return Nd4j.rand(DataType.FLOAT, fanIn, fanOut).muli(2 * limit).subi(limit);
    }
}
