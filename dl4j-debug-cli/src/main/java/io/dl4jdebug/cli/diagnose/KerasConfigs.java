package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 2.x (tf.keras 2.x) {@code model_config} and {@code training_config} JSON as {@code model.save()} writes them,
 * for the layers the tests and the labelled scenarios use. Field names and defaults are Keras 2.4's {@code get_config()}.
 */
public final class KerasConfigs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasConfigs() {
    }

    public static Map<String, Object> initializer(String className) {
        Map<String, Object> init = new LinkedHashMap<>();
        init.put("class_name", className);
        Map<String, Object> config = new LinkedHashMap<>();
        if (className.equals("Orthogonal")) {
            config.put("gain", 1.0);
        }
        if (!className.equals("Zeros")) {
            config.put("seed", null);
        }
        init.put("config", config);
        return init;
    }

    /** A Keras layer: class_name, config (with its name) and, for Functional models, inbound_nodes. */
    public static Map<String, Object> layer(String className, String name, Map<String, Object> config, String inbound) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", true);
        c.put("dtype", "float32");
        c.putAll(config);
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("class_name", className);
        layer.put("config", c);
        if (inbound != null) {
            layer.put("name", name);
            layer.put("inbound_nodes", inbound.isEmpty() ? List.of()
                    : List.of(List.of(List.of(inbound, 0, 0, Map.of()))));
        }
        return layer;
    }

    /** Dense's config; {@code inputWidth > 0} adds batch_input_shape (the first layer of a Sequential model). */
    public static Map<String, Object> dense(int units, String activation, int inputWidth) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (inputWidth > 0) {
            c.put("batch_input_shape", nullFirst(inputWidth));
        }
        c.put("units", units);
        c.put("activation", activation);
        c.put("use_bias", true);
        c.put("kernel_initializer", initializer("GlorotUniform"));
        c.put("bias_initializer", initializer("Zeros"));
        c.put("kernel_regularizer", null);
        c.put("bias_regularizer", null);
        c.put("activity_regularizer", null);
        c.put("kernel_constraint", null);
        c.put("bias_constraint", null);
        return c;
    }

    /** LSTM's config over {@code [steps, features]} inputs (Keras' channels-last NWC), the last step's output. */
    public static Map<String, Object> lstm(int units, int steps, int features) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("batch_input_shape", nullFirst(steps, features));
        c.put("return_sequences", false);
        c.put("return_state", false);
        c.put("go_backwards", false);
        c.put("stateful", false);
        c.put("unroll", false);
        c.put("time_major", false);
        c.put("units", units);
        c.put("activation", "tanh");
        c.put("recurrent_activation", "sigmoid");
        c.put("use_bias", true);
        c.put("kernel_initializer", initializer("GlorotUniform"));
        c.put("recurrent_initializer", initializer("Orthogonal"));
        c.put("bias_initializer", initializer("Zeros"));
        c.put("unit_forget_bias", true);
        c.put("kernel_regularizer", null);
        c.put("recurrent_regularizer", null);
        c.put("bias_regularizer", null);
        c.put("activity_regularizer", null);
        c.put("kernel_constraint", null);
        c.put("recurrent_constraint", null);
        c.put("bias_constraint", null);
        c.put("dropout", 0.0);
        c.put("recurrent_dropout", 0.0);
        c.put("implementation", 2);
        return c;
    }

    public static Map<String, Object> inputLayer(int... shape) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("batch_input_shape", nullFirst(shape));
        c.put("sparse", false);
        c.put("ragged", false);
        return c;
    }

    private static List<Object> nullFirst(int... dims) {
        List<Object> shape = new ArrayList<>();
        shape.add(null);
        for (int d : dims) {
            shape.add(d);
        }
        return shape;
    }

    /** A Sequential model of the given layers. */
    public static String sequential(String name, List<Map<String, Object>> layers) {
        return json(Map.of("class_name", "Sequential", "config", Map.of("name", name, "layers", layers)));
    }

    /** A Functional model ({@code class_name} "Functional", as tf.keras 2.4+ writes it; older Keras wrote "Model"). */
    public static String functional(String className, String name, List<Map<String, Object>> layers, String input,
                             String output) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("layers", layers);
        config.put("input_layers", List.of(List.of(input, 0, 0)));
        config.put("output_layers", List.of(List.of(output, 0, 0)));
        return json(Map.of("class_name", className, "config", config));
    }

    /** A training_config as {@code model.compile(loss=..., optimizer=Adam(lr))} leaves it. */
    public static String adamTraining(String loss, double learningRate) {
        Map<String, Object> adam = new LinkedHashMap<>();
        adam.put("name", "Adam");
        adam.put("learning_rate", learningRate);
        adam.put("decay", 0.0);
        adam.put("beta_1", 0.9);
        adam.put("beta_2", 0.999);
        adam.put("epsilon", 1e-7);
        adam.put("amsgrad", false);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("loss", loss);
        training.put("metrics", List.of("accuracy"));
        training.put("weighted_metrics", null);
        training.put("loss_weights", null);
        training.put("optimizer_config", Map.of("class_name", "Adam", "config", adam));
        return json(training);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
