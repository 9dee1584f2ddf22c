package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.modelimport.keras.config.Keras2LayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLossUtils;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The training settings of an imported Keras model: the file's {@code training_config} (loss and optimizer, as
 * {@code model.compile()} left them), overridden or supplied by {@code --loss}, {@code --updater} and {@code --lr}.
 * The result is a Keras {@code training_config} JSON, so that DL4J's own Keras import maps the loss to its output
 * layer and the optimizer to its updater exactly as it does for a compiled model.
 *
 * @param loss    a Keras loss name ({@code --loss}), null to keep the file's
 * @param updater a Keras optimizer name ({@code --updater}), null to keep the file's (Adam without one)
 * @param lr      the learning rate ({@code --lr}), null for the file's or the optimizer's Keras default
 */
public record KerasTraining(String loss, String updater, Double lr) {

    /** Keras loss names DL4J 1.0.0-M2.1 maps (KerasLossUtils), for messages and --help. */
    public static final String LOSSES = "categorical_crossentropy, sparse_categorical_crossentropy, "
            + "binary_crossentropy, mean_squared_error (mse), mean_absolute_error (mae), "
            + "mean_absolute_percentage_error, mean_squared_logarithmic_error, hinge, squared_hinge, "
            + "kullback_leibler_divergence, poisson, cosine_proximity";

    /** Keras optimizers DL4J 1.0.0-M2.1 maps (KerasOptimizerUtils), by their --updater name. */
    private static final Map<String, String> OPTIMIZERS = Map.of("adam", "Adam", "sgd", "SGD", "rmsprop", "RMSprop",
            "nadam", "Nadam", "adamax", "Adamax", "adadelta", "Adadelta");

    /** --updater values, for messages and --help. */
    public static final String UPDATERS = "adam, sgd, rmsprop, nadam, adamax, adadelta";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DENSE_CROSS_ENTROPY = "categorical_crossentropy";

    /** Validates the options (the loss against DL4J's loss mapping). */
    public KerasTraining {
        if (updater != null && !OPTIMIZERS.containsKey(updater.toLowerCase(Locale.ROOT))) {
            throw new UserInputException("--updater " + updater + " is not a Keras optimizer DL4J imports: expected "
                    + "one of " + UPDATERS);
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw new UserInputException("--lr must be a positive number but was " + lr);
        }
        if (loss != null) {
            try {
                KerasLossUtils.mapLossFunction(loss, new Keras2LayerConfiguration());
            } catch (UnsupportedKerasConfigurationException | RuntimeException e) {
                throw new UserInputException("--loss " + loss + " is not a Keras loss DL4J imports: expected one of "
                        + LOSSES, e);
            }
        }
    }

    /** @return true when none of --loss, --updater, --lr was given */
    public boolean isEmpty() {
        return loss == null && updater == null && lr == null;
    }

    /**
     * @param file             the model file, for messages
     * @param fileTraining     the file's training_config JSON, null when it has none
     * @return the training_config to import with
     * @throws UserInputException when the file has no training configuration and --loss is missing, or the file's is
     *                            not JSON
     */
    public String trainingConfig(Path file, String fileTraining) {
        if (fileTraining == null && loss == null) {
            throw new UserInputException("--model " + file + " has no training configuration (the model was saved "
                    + "without compile() or with include_optimizer=False), so its loss is unknown: give --loss (one of "
                    + LOSSES + "), and optionally --updater (" + UPDATERS + ", default adam) and --lr");
        }
        ObjectNode training;
        try {
            training = fileTraining == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(fileTraining);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new UserInputException("--model " + file + ": its training_config attribute is not a JSON object ("
                    + e.getMessage() + "); give --loss, --updater and --lr to replace it", e);
        }
        if (loss != null) {
            training.put("loss", loss);
        }
        if (isSparseCrossEntropy(training.get("loss"))) {
            // diagnose feeds one-hot labels (DL4J's SPARSE_MCXENT wants class indices): the same loss on them
            training.put("loss", DENSE_CROSS_ENTROPY);
        }
        String fileClass = training.path("optimizer_config").path("class_name").asText("");
        // a known optimizer is rewritten with every field DL4J reads (newer tf.keras leaves out "decay", on which
        // DL4J's mapping fails); an unknown one is left for DL4J to name
        if (updater != null || lr != null || !training.has("optimizer_config")
                || OPTIMIZERS.containsValue(fileClass)) {
            training.set("optimizer_config", JSON.valueToTree(optimizer(training)));
        }
        return training.toString();
    }

    /**
     * @param loss a training_config's loss: a name, or tf.keras' {@code {"class_name": ..., "config": {"name": ...}}}
     * @return true for sparse categorical cross-entropy, which takes class indices instead of one-hot labels
     */
    private static boolean isSparseCrossEntropy(com.fasterxml.jackson.databind.JsonNode loss) {
        if (loss == null) {
            return false;
        }
        String name = loss.isTextual() ? loss.asText() : loss.path("config").path("name").asText(
                loss.path("class_name").asText(""));
        String flat = name.toLowerCase(Locale.ROOT).replace("_", "");
        return flat.equals("sparsecategoricalcrossentropy");
    }

    /** The optimizer_config: --updater (or the file's optimizer, or Adam) with --lr (or the file's, or its default). */
    private Map<String, Object> optimizer(ObjectNode training) {
        String fileClass = training.path("optimizer_config").path("class_name").asText("");
        String className = updater != null ? OPTIMIZERS.get(updater.toLowerCase(Locale.ROOT))
                : OPTIMIZERS.containsValue(fileClass) ? fileClass : "Adam";
        double fileLr = training.path("optimizer_config").path("config").path("learning_rate")
                .asDouble(training.path("optimizer_config").path("config").path("lr").asDouble(Double.NaN));
        double rate = lr != null ? lr : updater == null && fileClass.equals(className) && !Double.isNaN(fileLr)
                ? fileLr : defaultLearningRate(className);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("decay", 0.0);
        switch (className) {
            case "SGD" -> {
                config.put("momentum", 0.0);
                config.put("nesterov", false);
            }
            case "RMSprop" -> {
                config.put("rho", 0.9);
                config.put("epsilon", 1e-7);
            }
            case "Adadelta" -> {
                config.put("rho", 0.95);
                config.put("epsilon", 1e-7);
            }
            default -> { // Adam, Nadam, Adamax
                config.put("beta_1", 0.9);
                config.put("beta_2", 0.999);
                config.put("epsilon", 1e-7);
                config.put("schedule_decay", 0.004);
            }
        }
        if (fileClass.equals(className)) { // the file's own settings of that optimizer win over the defaults
            training.path("optimizer_config").path("config").fields().forEachRemaining(f -> {
                if (config.containsKey(f.getKey()) && f.getValue().isNumber()) {
                    config.put(f.getKey(), f.getValue().asDouble());
                } else if (config.containsKey(f.getKey()) && f.getValue().isBoolean()) {
                    config.put(f.getKey(), f.getValue().asBoolean());
                }
            });
        }
        config.put("lr", rate);
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("class_name", className);
        optimizer.put("config", config);
        return optimizer;
    }

    /** Keras' default learning rates. */
    private static double defaultLearningRate(String className) {
        return switch (className) {
            case "SGD" -> 0.01;
            case "Nadam", "Adamax" -> 0.002;
            case "Adadelta" -> 1.0;
            default -> 0.001;
        };
    }

    /**
     * @param trainingJson a training_config as {@link #trainingConfig} returns it
     * @return its loss, optimizer and learning rate as text ("loss mse, optimizer SGD lr 0.01")
     */
    public static String describe(String trainingJson) {
        try {
            var t = JSON.readTree(trainingJson);
            String l = t.path("loss").isTextual() ? t.path("loss").asText() : t.path("loss").toString();
            var config = t.path("optimizer_config").path("config");
            String rate = config.has("lr") ? config.get("lr").asText() : config.path("learning_rate").asText("?");
            return "loss " + l + ", optimizer " + t.path("optimizer_config").path("class_name").asText("?") + " lr "
                    + rate;
        } catch (JsonProcessingException e) {
            return "training configuration not readable";
        }
    }
}
