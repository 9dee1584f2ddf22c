package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failure of DL4J's Keras import into one line that names the Keras layer and what DL4J supports instead. DL4J
 * says "Unsupported keras layer type GRU" without the layer's name, or "No SameDiff Lambda layer found for Lambda
 * layer x"; the layer is found in the file's {@code model_config}. Stateless.
 */
final class KerasImportErrors {

    /**
     * The Keras layer classes DL4J 1.0.0-M2.1 imports (KerasLayerUtils.getKerasLayerFromConfig, checked in its source).
     */
    static final String SUPPORTED_LAYERS = "InputLayer, Dense, Activation, Dropout (also Spatial/Alpha/Gaussian), "
            + "GaussianNoise, Conv1D/2D/3D, Conv2DTranspose/3DTranspose, DepthwiseConv2D, SeparableConv2D, "
            + "Max/AveragePooling1D/2D/3D, GlobalMax/AveragePooling1D/2D/3D, BatchNormalization, Embedding, LSTM, "
            + "SimpleRNN, Bidirectional, TimeDistributed, Masking, Flatten, Reshape, Permute, RepeatVector, "
            + "ZeroPadding/UpSampling/Cropping1D/2D/3D, Add, Subtract, Multiply, Average, Maximum, Concatenate, "
            + "LeakyReLU, PReLU, ELU, ReLU, ThresholdedReLU, Softmax, LocallyConnected1D/2D";

    private static final Pattern UNSUPPORTED_TYPE = Pattern.compile("Unsupported keras layer type ([^\\s.]+)");
    private static final Pattern LAMBDA = Pattern.compile("Lambda layer (\\S+?)\\.? You can register");
    private static final Pattern LOSS = Pattern.compile("Unknown Keras loss function (\\S+)");

    private KerasImportErrors() {
    }

    /** A layer of the model_config: its name and Keras class. */
    record KerasLayerName(String name, String className) {
    }

    /**
     * @param modelConfig the model_config JSON
     * @return its layers in file order (Sequential or Functional); empty when it has none
     */
    static List<KerasLayerName> layers(JsonNode modelConfig) {
        JsonNode config = modelConfig.path("config");
        JsonNode list = config.isArray() ? config : config.path("layers"); // Keras 1/early 2 Sequential: a list
        List<KerasLayerName> result = new ArrayList<>();
        for (JsonNode layer : list) {
            String name = layer.path("config").path("name").asText(layer.path("name").asText("?"));
            result.add(new KerasLayerName(name, layer.path("class_name").asText("?")));
        }
        return result;
    }

    /**
     * @param file     the model file
     * @param failure  what DL4J threw
     * @param layers   the layers of the file
     * @return the one-line message for {@code diagnose}
     */
    static String describe(Path file, Throwable failure, List<KerasLayerName> layers) {
        String message = firstLine(failure);
        String prefix = "--model " + file + ": ";
        Matcher lambda = LAMBDA.matcher(message);
        boolean named = lambda.find();
        if (named || message.contains("Lambda")) {
            String name = named ? lambda.group(1) : layers.stream().filter(l -> l.className().equals("Lambda"))
                    .map(KerasLayerName::name).findFirst().orElse("?");
            return prefix + "layer '" + name + "' (Lambda) holds Python code that DL4J cannot import: replace it with "
                    + "built-in layers, or register a SameDiffLambdaLayer for it in Java with KerasLayer"
                    + ".registerLambdaLayer(\"" + name + "\", ...); DL4J 1.0.0-M2.1 imports " + SUPPORTED_LAYERS;
        }
        Matcher type = UNSUPPORTED_TYPE.matcher(message);
        if (type.find()) {
            String className = type.group(1);
            List<String> names = layers.stream().filter(l -> l.className().equals(className))
                    .map(KerasLayerName::name).toList();
            String which = names.isEmpty() ? "a layer" : names.size() == 1 ? "layer '" + names.get(0) + "'"
                    : "layers " + names.stream().map(n -> "'" + n + "'").toList();
            return prefix + which + " (" + className + ") cannot be imported: DL4J 1.0.0-M2.1's KerasModelImport "
                    + "has no " + className + " (a custom layer, or a Keras layer DL4J lacks); it imports "
                    + SUPPORTED_LAYERS;
        }
        Matcher loss = LOSS.matcher(message);
        if (loss.find()) {
            return prefix + "its loss " + loss.group(1) + " is not one DL4J imports (a custom loss?): give --loss, one "
                    + "of " + KerasTraining.LOSSES;
        }
        if (message.toLowerCase(Locale.ROOT).contains("optimizer")) {
            return prefix + "DL4J cannot import its optimizer (" + message + "): give --updater ("
                    + KerasTraining.UPDATERS + ") and --lr";
        }
        String layer = layers.stream().filter(l -> !l.name().equals("?") && message.contains(l.name()))
                .map(l -> "layer '" + l.name() + "' (" + l.className() + "): ").findFirst().orElse("");
        return prefix + "DL4J's Keras import failed: " + layer + message;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }
}
