package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.cli.diagnose.DiagnoseCommandTest.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.dl4jdebug.cli.diagnose.DiagnoseCommandTest.diagnose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code diagnose --model model.h5}: Keras 2.x files written by the test ({@link KerasH5Writer}), imported with DL4J's
 * KerasModelImport and diagnosed like native networks, with the Keras layer names in the findings; import failures
 * as one line naming the layer, exit code 2.
 */
class KerasDiagnoseTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
        Nd4j.getRandom().setSeed(7);
    }

    /** Glorot-uniform values, as Keras initialises a kernel. */
    private static INDArray glorot(long fanIn, long fanOut, long... shape) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        return Nd4j.rand(DataType.FLOAT, shape).muli(2 * limit).subi(limit);
    }

    /** A Sequential 784-64-10 MLP as Keras saves it, compiled (training_config) when {@code training} is given. */
    private static Path kerasMlp(String file, String training) {
        Path path = dir.resolve(file);
        KerasH5Writer w = new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Dense", "hidden", KerasConfigs.dense(64, "relu", 784), null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(10, "softmax", 0), null))))
                .weight("hidden", "kernel", glorot(784, 64, 784, 64)).weight("hidden", "bias", Nd4j.zeros(DataType.FLOAT, 64))
                .weight("probs", "kernel", glorot(64, 10, 64, 10)).weight("probs", "bias", Nd4j.zeros(DataType.FLOAT, 10));
        if (training != null) {
            w.training(training);
        }
        w.write(path);
        return path;
    }

    /** A Functional 4-16-3 model (InputLayer, two Dense), saved without its training configuration. */
    private static Path kerasFunctionalUncompiled(String file) {
        Path path = dir.resolve(file);
        new KerasH5Writer("2.4.0", KerasConfigs.functional("Functional", "blobs_model", List.of(
                KerasConfigs.layer("InputLayer", "features", KerasConfigs.inputLayer(4), ""),
                KerasConfigs.layer("Dense", "encode", KerasConfigs.dense(16, "relu", 0), "features"),
                KerasConfigs.layer("Dense", "classes", KerasConfigs.dense(3, "softmax", 0), "encode")),
                "features", "classes"))
                .weight("encode", "kernel", glorot(4, 16, 4, 16)).weight("encode", "bias", Nd4j.zeros(DataType.FLOAT, 16))
                .weight("classes", "kernel", glorot(16, 3, 16, 3)).weight("classes", "bias", Nd4j.zeros(DataType.FLOAT, 3))
                .write(path);
        return path;
    }

    /** A Sequential LSTM(units) over [steps, features] then Dense(classes, softmax), compiled with Adam. */
    static Path kerasLstm(Path directory, String file, int steps, int features, int units, int classes) {
        Path path = directory.resolve(file);
        new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("LSTM", "lstm", KerasConfigs.lstm(units, steps, features), null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(classes, "softmax", 0), null))))
                .training(KerasConfigs.adamTraining("categorical_crossentropy", 5e-3))
                .weight("lstm", "kernel", glorot(features, 4L * units, features, 4L * units))
                .weight("lstm", "recurrent_kernel", glorot(units, 4L * units, units, 4L * units))
                .weight("lstm", "bias", Nd4j.zeros(DataType.FLOAT, 4L * units))
                .weight("probs", "kernel", glorot(units, classes, units, classes))
                .weight("probs", "bias", Nd4j.zeros(DataType.FLOAT, classes))
                .write(path);
        return path;
    }

    private static Path blobs(String file, int rows) throws IOException {
        return CsvFixtures.blobs(dir, file, rows);
    }

    @Test
    void compiledSequentialMlpIsDiagnosedLikeANativeOneWithTheKerasLayerNames() throws IOException {
        Path model = kerasMlp("mlp.h5", KerasConfigs.adamTraining("categorical_crossentropy", 1e-3));
        Path report = dir.resolve("mlp-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "40",
                "--examples", "1024", "--report", report.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("MULTI_LAYER_NETWORK").contains("imported from Keras with DL4J's KerasModelImport: "
                + "loss categorical_crossentropy, optimizer Adam lr 0.001, seed 42").contains("0 error incidents")
                .doesNotContain("NONDETERMINISTIC");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("model").get("layers").findValuesAsText("name")).contains("hidden", "probs", "probs_loss");
    }

    @Test
    void updaterAndLearningRateOptionsReplaceTheFilesAndTheFindingsNameKerasLayers() throws IOException {
        Path model = kerasMlp("mlp-sgd.h5", KerasConfigs.adamTraining("categorical_crossentropy", 1e-3));
        Path report = dir.resolve("mlp-sgd-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "40",
                "--examples", "1024", "--updater", "sgd", "--lr", "10000", "--no-verify-fixes",
                "--report", report.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("optimizer SGD lr 10000").contains("ERROR LEARNING_RATE_TOO_HIGH");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode first = json.get("findings").get(0);
        assertThat(first.get("symptom").asText()).isEqualTo("LEARNING_RATE_TOO_HIGH");
        List<String> named = json.get("findings").findValues("layers").stream()
                .flatMap(l -> java.util.stream.StreamSupport.stream(l.spliterator(), false))
                .map(JsonNode::asText).toList();
        assertThat(named).isNotEmpty().allMatch(n -> n.equals("hidden") || n.equals("probs")
                || n.equals("probs_loss"));
    }

    @Test
    void functionalModelWithoutTrainingConfigNeedsLossAndThenTrains() throws IOException {
        Path model = kerasFunctionalUncompiled("functional.h5");
        Path csv = blobs("blobs.csv", 300);
        Result missing = diagnose("--model", model.toString(), "--data", "csv:" + csv);
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.errLines()).singleElement().asString().contains("functional.h5")
                .contains("has no training configuration").contains("give --loss")
                .contains("categorical_crossentropy").contains("--updater");

        Path report = dir.resolve("functional-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--loss", "categorical_crossentropy",
                "--lr", "0.01", "--iterations", "40", "--batch", "16", "--no-verify-fixes",
                "--report", report.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("COMPUTATION_GRAPH").contains("loss categorical_crossentropy, optimizer Adam lr 0.01")
                .doesNotContain("NONDETERMINISTIC");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("model").get("layers").findValuesAsText("name")).contains("encode", "classes");
        assertThat(json.get("findings").findValuesAsText("severity")).doesNotContain("ERROR");
    }

    @Test
    void flattenOverImageRowsTakesFashionMnistAsKerasFeedsIt() throws IOException {
        // the Keras tutorial's model: Flatten(input_shape=(28, 28)), Dense(64, relu), Dense(10, softmax)
        Map<String, Object> flatten = new LinkedHashMap<>();
        flatten.put("batch_input_shape", java.util.Arrays.asList(null, 28, 28));
        flatten.put("data_format", "channels_last");
        Path path = dir.resolve("flatten.h5");
        new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Flatten", "flatten", flatten, null),
                KerasConfigs.layer("Dense", "hidden", KerasConfigs.dense(64, "relu", 0), null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(10, "softmax", 0), null))))
                .training(KerasConfigs.adamTraining("categorical_crossentropy", 1e-3))
                .weight("hidden", "kernel", glorot(784, 64, 784, 64)).weight("hidden", "bias", Nd4j.zeros(DataType.FLOAT, 64))
                .weight("probs", "kernel", glorot(64, 10, 64, 10)).weight("probs", "bias", Nd4j.zeros(DataType.FLOAT, 10))
                .write(path);
        Result r = diagnose("--model", path.toString(), "--data", "fashion-mnist", "--iterations", "40",
                "--examples", "1024", "--no-verify-fixes", "--report", dir.resolve("flatten-report.json").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        double[] loss = losses(r);
        assertThat(loss[1]).isLessThan(loss[0] / 2);
    }

    /** @return the first and last minibatch losses diagnose printed */
    private static double[] losses(Result r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("minibatch loss ([0-9.eE+-]+) -> ([0-9.eE+-]+)")
                .matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void unknownLossIsOneLineListingTheLosses() {
        Path model = kerasFunctionalUncompiled("functional-loss.h5");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--loss", "focal_loss");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--loss focal_loss")
                .contains("mean_squared_error");
    }

    @Test
    void kerasLstmReadsFashionMnistAsSequencesOfRows() throws IOException {
        Path model = kerasLstm(dir, "lstm.h5", 28, 28, 16, 10);
        Path report = dir.resolve("lstm-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "30",
                "--examples", "640", "--no-verify-fixes", "--report", report.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        assertThat(r.out()).contains("recurrent, NWC [steps, features]").contains("features [28, 28]");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("iterations").asLong()).isEqualTo(30);
        assertThat(json.get("model").get("layers").findValuesAsText("name")).contains("lstm", "probs");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("minibatch loss ([0-9.]+) -> ([0-9.]+)")
                .matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        // it learns from the rows as time steps: the loss falls from about ln(10) = 2.3
        assertThat(Double.parseDouble(m.group(2))).isLessThan(Double.parseDouble(m.group(1)));
    }

    @Test
    void unsupportedLayerIsOneLineNamingItAndWhatDl4jImports() {
        Path path = dir.resolve("gru.h5");
        Map<String, Object> gru = new LinkedHashMap<>(KerasConfigs.lstm(8, 10, 3));
        new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("GRU", "gru_encoder", gru, null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(2, "softmax", 0), null))))
                .training(KerasConfigs.adamTraining("categorical_crossentropy", 1e-3)).write(path);
        Result r = diagnose("--model", path.toString(), "--data", "fashion-mnist");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("gru.h5").contains("layer 'gru_encoder' (GRU)")
                .contains("cannot be imported").contains("LSTM").contains("SimpleRNN");
    }

    @Test
    void customLayerIsOneLineNamingIt() {
        Path path = dir.resolve("custom.h5");
        new KerasH5Writer("2.4.0", KerasConfigs.functional("Functional", "model", List.of(
                KerasConfigs.layer("InputLayer", "tokens", KerasConfigs.inputLayer(4), ""),
                KerasConfigs.layer("MyAttention", "attend", Map.of("heads", 2), "tokens"),
                KerasConfigs.layer("Dense", "out", KerasConfigs.dense(2, "softmax", 0), "attend")),
                "tokens", "out")).write(path);
        Result r = diagnose("--model", path.toString(), "--data", "fashion-mnist", "--loss", "mse");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("layer 'attend' (MyAttention)")
                .contains("a custom layer").contains("Dense");
    }

    @Test
    void lambdaLayerIsOneLineNamingIt() {
        Path path = dir.resolve("lambda.h5");
        Map<String, Object> lambda = new LinkedHashMap<>();
        lambda.put("function", List.of("4wEAAAAAAAAAAQAAAAIAAABDAAAAcwgAAAB8AGQBFABTACkCTukCAAAAqQApAdoBeHIDAAAAcgMAAAD6", "", ""));
        lambda.put("function_type", "lambda");
        lambda.put("module", "__main__");
        lambda.put("output_shape", null);
        lambda.put("output_shape_type", "raw");
        lambda.put("arguments", Map.of());
        new KerasH5Writer("2.4.0", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Dense", "hidden", KerasConfigs.dense(8, "relu", 784), null),
                KerasConfigs.layer("Lambda", "double_it", lambda, null),
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(10, "softmax", 0), null))))
                .training(KerasConfigs.adamTraining("categorical_crossentropy", 1e-3)).write(path);
        Result r = diagnose("--model", path.toString(), "--data", "fashion-mnist");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("layer 'double_it' (Lambda)")
                .contains("Python code").contains("registerLambdaLayer");
    }

    @Test
    void keras3FilesAreOneLineSayingWhatDl4jReads() throws IOException {
        Path h5 = dir.resolve("keras3.h5");
        new KerasH5Writer("3.3.3", KerasConfigs.sequential("sequential", List.of(
                KerasConfigs.layer("Dense", "probs", KerasConfigs.dense(10, "softmax", 784), null))))
                .training(KerasConfigs.adamTraining("categorical_crossentropy", 1e-3)).write(h5);
        Result r = diagnose("--model", h5.toString(), "--data", "fashion-mnist");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("written by Keras 3.3.3")
                .contains("Keras 1.x/2.x");

        Path archive = dir.resolve("model.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(archive))) {
            for (String entry : List.of("metadata.json", "config.json", "model.weights.h5")) {
                z.putNextEntry(new ZipEntry(entry));
                z.write("{}".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        Result zip = diagnose("--model", archive.toString(), "--data", "fashion-mnist");
        assertThat(zip.code()).isEqualTo(2);
        assertThat(zip.errLines()).singleElement().asString().contains("model.keras")
                .contains("Keras 3 .keras archive").contains("model.save('model.h5')");
    }

    @Test
    void kerasOptionsOnADl4jModelAreRefused() throws IOException {
        Path model = DiagnoseCommandTest.mlp(dir, "native.json", 784, 10, new org.nd4j.linalg.learning.config.Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--loss", "mse");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("are for Keras .h5 models");
    }
}
