package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import io.dl4jdebug.cli.diagnose.KerasConfigs;
import io.dl4jdebug.cli.diagnose.KerasH5Writer;
import io.dl4jdebug.cli.diagnose.KerasModelLoader;
import io.dl4jdebug.cli.diagnose.KerasTraining;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

import static io.dl4jdebug.samples.scenarios.Detection.BEFORE_TRAINING;
import static io.dl4jdebug.samples.scenarios.Detection.ONLY_IN_TRAINING;

/**
 * Models imported from Keras 2.x {@code .h5} files: a compiled Sequential 784-{@value #HIDDEN}-10 MLP (Dense
 * {@code hidden} ReLU, Dense {@code probs} softmax, categorical cross-entropy, Adam) written with
 * {@link KerasH5Writer} (Glorot-uniform kernels drawn with the scenario's seed) into the work directory and imported
 * with {@link KerasModelLoader}, as {@code diagnose --model model.h5} does; one bug each with its healthy twin, and
 * the healthy model. Trained on the standard Fashion-MNIST data. Stateless.
 */
final class KerasScenarios {

    static final int HIDDEN = 64;
    static final double RATE = 1e-3;

    private KerasScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                keras("keras-lr-too-high", "a Keras model compiled with Adam(learning_rate=1.0)",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE, BEFORE_TRAINING),
                        (d, bug) -> FashionScenarios.standard(d, mlp(d, "keras-lr-" + bug, HIDDEN, bug ? 1.0 : RATE,
                                false))),
                keras("keras-constant-kernel", "a Keras model saved with every kernel filled with 0.01 (a"
                                + " Constant initializer): the hidden units stay identical",
                        RootCause.of(Symptom.UNITS_IDENTICAL, Setting.WEIGHT_INIT, ONLY_IN_TRAINING, "hidden"),
                        (d, bug) -> FashionScenarios.standard(d, mlp(d, "keras-constant-" + bug, HIDDEN, RATE, bug))),
                keras("keras-narrow", "a Keras model whose hidden Dense has 2 units (a typo for 64)",
                        RootCause.of(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH, ONLY_IN_TRAINING, "hidden"),
                        (d, bug) -> FashionScenarios.standard(d, mlp(d, "keras-narrow-" + bug, bug ? 2 : HIDDEN, RATE,
                                false))),
                BuiltScenario.healthy("healthy-keras-mlp", "Keras Sequential 784-64-10 (ReLU, softmax), compiled"
                                + " with categorical_crossentropy and Adam(1e-3), imported from .h5",
                        ModelKind.MULTI_LAYER_NETWORK, Family.KERAS,
                        d -> FashionScenarios.standard(d, mlp(d, "keras-healthy", HIDDEN, RATE, false))));
    }

    private static LabelledScenario keras(String name, String description, RootCause label,
                                          BiFunction<ScenarioData, Boolean, ScenarioSetup> setup) {
        return BuiltScenario.bug(name, description, label, ModelKind.MULTI_LAYER_NETWORK, Family.KERAS, setup);
    }

    /** Writes the model's .h5 file into the work directory and imports it. */
    private static Model mlp(ScenarioData d, String file, int hidden, double rate, boolean constantKernels) {
        Path path = d.workFile(file + "-" + d.seed() + ".h5");
        Nd4j.getRandom().setSeed(d.seed());
        new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Dense", "hidden", KerasConfigs.dense(hidden, "relu", 784), null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(10, "softmax", 0), null))))
                .training(KerasConfigs.adamTraining("categorical_crossentropy", rate))
                .weight("hidden", "kernel", kernel(784, hidden, constantKernels))
                .weight("hidden", "bias", Nd4j.zeros(DataType.FLOAT, hidden))
                .weight("probs", "kernel", kernel(hidden, 10, constantKernels))
                .weight("probs", "bias", Nd4j.zeros(DataType.FLOAT, 10))
                .write(path);
        return KerasModelLoader.load(path, new KerasTraining(null, null, null)).model();
    }

    /** @return a Keras kernel [fanIn, fanOut]: Glorot uniform, or every value 0.01 */
    private static INDArray kernel(int fanIn, int fanOut, boolean constant) {
        if (constant) {
            return Nd4j.valueArrayOf(new long[] {fanIn, fanOut}, 0.01f);
        }
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        return Nd4j.rand(DataType.FLOAT, fanIn, fanOut).muli(2 * limit).subi(limit);
    }
}
