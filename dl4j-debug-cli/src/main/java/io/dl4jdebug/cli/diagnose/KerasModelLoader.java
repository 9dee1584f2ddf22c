package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;

import java.nio.file.Path;
import java.util.List;

/**
 * Loads a Keras model saved with {@code model.save('model.h5')} (Keras 1.x/2.x HDF5) through DL4J's Keras import:
 * a Sequential model becomes a MultiLayerNetwork, a Functional one a ComputationGraph, with the Keras layer names and
 * the trained weights. The loss and optimizer come from the file's training configuration, overridden or supplied
 * by {@link KerasTraining}. Every failure is a {@link UserInputException} with one line naming the layer. Stateless.
 */
public final class KerasModelLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The seed of an imported network: its weights come from the file, the seed drives dropout and copies. */
    static final long SEED = 42;

    private KerasModelLoader() {
    }

    /** A loaded model and the training settings it was imported with. */
    public record Loaded(Model model, String training) {
    }

    /**
     * @param file     an HDF5 file
     * @param training --loss, --updater and --lr
     * @return the network with its weights, ready to train
     * @throws UserInputException for a file DL4J cannot import (Keras 3, no model_config, an unsupported or Lambda
     *                            layer, a missing loss)
     */
    public static Loaded load(Path file, KerasTraining training) {
        KerasH5File h5;
        try {
            h5 = KerasH5File.read(file);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--model " + file + " is not a readable Keras .h5 file: " + e.getMessage(), e);
        }
        if (h5.modelConfig() == null) {
            throw new UserInputException("--model " + file + " has no model_config: it holds weights only "
                    + "(model.save_weights()); DL4J needs the whole model, saved with model.save('model.h5')");
        }
        if (h5.kerasMajorVersion() >= 3) {
            throw new UserInputException("--model " + file + " was written by Keras " + h5.kerasVersion()
                    + " (keras_version); DL4J 1.0.0-M2.1's KerasModelImport reads only files of Keras 1.x/2.x "
                    + "(tf.keras 2.x): save it with Keras 2 (model.save('model.h5')) or rebuild the model in DL4J");
        }
        ObjectNode config;
        try {
            config = (ObjectNode) JSON.readTree(h5.modelConfig());
        } catch (JsonProcessingException | ClassCastException e) {
            throw new UserInputException("--model " + file + ": its model_config attribute is not JSON ("
                    + e.getMessage() + ")", e);
        }
        List<KerasImportErrors.KerasLayerName> layers = KerasImportErrors.layers(config);
        String className = config.path("class_name").asText("");
        String trainingJson = training.trainingConfig(file, h5.trainingConfig());
        replaceOrthogonalInitializers(config);
        config.put("keras_version", h5.kerasVersion().isEmpty() ? "2.0.0" : h5.kerasVersion());
        config.put("backend", h5.backend().isEmpty() ? "tensorflow" : h5.backend());
        KerasModelBuilder builder = new KerasModel().modelBuilder();
        try {
            builder.modelJson(config.toString()).weightsHdf5Filename(file.toString()).trainingJson(trainingJson)
                    .enforceTrainingConfig(true);
            Model model = className.equals("Sequential")
                    ? builder.buildSequential().getMultiLayerNetwork()
                    : builder.buildModel().getComputationGraph();
            setSeed(model);
            return new Loaded(model, KerasTraining.describe(trainingJson) + ", seed " + SEED + " (a Keras file "
                    + "holds none; the weights are the file's)");
        } catch (Exception e) {
            throw new UserInputException(KerasImportErrors.describe(file, e, layers), e);
        } finally {
            builder.close();
        }
    }

    /**
     * Replaces Keras' {@code Orthogonal} initializers (the default recurrent_initializer of LSTM and SimpleRNN) with
     * {@code GlorotUniform}. DL4J 1.0.0-M2.1 draws orthogonal matrices with an SVD that did not finish within minutes
     * on a 16 x 64 LSTM recurrent kernel here, and the initial values are overwritten by the file's weights anyway
     * (DL4J's import requires weights for every layer that has parameters).
     */
    static void replaceOrthogonalInitializers(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if (object.path("class_name").asText("").equals("Orthogonal") && object.has("config")) {
                object.put("class_name", "GlorotUniform");
                object.set("config", JSON.createObjectNode().putNull("seed"));
                return;
            }
            object.elements().forEachRemaining(KerasModelLoader::replaceOrthogonalInitializers);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(KerasModelLoader::replaceOrthogonalInitializers);
        }
    }

    /**
     * Sets a fixed seed on every layer configuration: DL4J's import leaves the time of the import, which makes each
     * run differ (and the checklist's env.seed item warn about code the Keras user does not have).
     */
    private static void setSeed(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            net.getLayerWiseConfigurations().getConfs().forEach(c -> c.setSeed(SEED));
        } else if (model instanceof ComputationGraph graph) {
            graph.getConfiguration().getDefaultConfiguration().setSeed(SEED);
            graph.getConfiguration().getVertices().values().stream().filter(v -> v instanceof LayerVertex)
                    .forEach(v -> ((LayerVertex) v).getLayerConf().setSeed(SEED));
        }
    }
}
