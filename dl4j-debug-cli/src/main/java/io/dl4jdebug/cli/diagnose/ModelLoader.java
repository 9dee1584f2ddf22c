package io.dl4jdebug.cli.diagnose;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * Loads a network from a {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration} JSON file (as
 * written by {@code toJson()}), initialised with fresh parameters, or from a {@code ModelSerializer} zip (parameters
 * and updater state restored); a Keras 3 {@code .keras} archive is refused with one line. Keras {@code .h5} files
 * are {@link KerasModelLoader}'s (the diagnose command sends them there with its training options). Stateless.
 */
public final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * @param file the model file
     * @return the initialised network
     * @throws UserInputException when the file is missing or is not a DL4J model (the message says which forms are
     *                            accepted)
     */
    public static Model load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--model " + file + ": no such file. Expected a MultiLayerConfiguration or "
                    + "ComputationGraphConfiguration JSON (toJson()), a ModelSerializer .zip or a Keras .h5 file");
        }
        if (isZip(file)) {
            return loadZip(file);
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException("--model " + file + ": cannot read it as UTF-8 text (" + e.getMessage() + ")",
                    e);
        }
        if (json.contains("\"vertices\"") && json.contains("\"networkInputs\"")) {
            try {
                ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
                graph.init();
                return graph;
            } catch (RuntimeException e) {
                throw new UserInputException("--model " + file + ": looks like a ComputationGraphConfiguration but "
                        + "DL4J cannot build it: " + e.getMessage(), e);
            }
        }
        if (json.contains("\"confs\"")) {
            try {
                MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
                net.init();
                return net;
            } catch (RuntimeException e) {
                throw new UserInputException("--model " + file + ": looks like a MultiLayerConfiguration but DL4J "
                        + "cannot build it: " + e.getMessage(), e);
            }
        }
        throw new UserInputException("--model " + file + " is not a DL4J configuration: expected the JSON of "
                + "MultiLayerConfiguration.toJson() (with \"confs\") or ComputationGraphConfiguration.toJson() (with "
                + "\"vertices\" and \"networkInputs\"), or a ModelSerializer .zip");
    }

    private static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    private static Model loadZip(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("configuration.json") == null && (zip.getEntry("config.json") != null
                    || zip.getEntry("metadata.json") != null)) {
                throw new UserInputException("--model " + file + " is a Keras 3 .keras archive (config.json and "
                        + "model.weights.h5 in a zip); DL4J 1.0.0-M2.1's KerasModelImport reads only Keras 1.x/2.x "
                        + "HDF5 files: save the model with Keras 2 / tf.keras 2.x as model.save('model.h5')");
            }
            if (zip.getEntry("configuration.json") == null) {
                throw new UserInputException("--model " + file + " is a zip but not a ModelSerializer model (no "
                        + "configuration.json inside)");
            }
            String conf = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
            if (conf.contains("\"vertices\"")) {
                return ModelSerializer.restoreComputationGraph(file.toFile(), true);
            }
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        } catch (IOException e) {
            throw new UserInputException("--model " + file + ": cannot read the ModelSerializer zip ("
                    + e.getMessage() + ")", e);
        }
    }
}
