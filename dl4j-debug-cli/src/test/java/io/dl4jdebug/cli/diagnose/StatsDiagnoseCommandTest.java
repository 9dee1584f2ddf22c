package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.ui.recorded.RecordedReportJson;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.dl4jdebug.cli.diagnose.DiagnoseCommandTest.diagnose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code diagnose --stats FILE} on real Fashion-MNIST runs recorded by DL4J's StatsListener alone (its default:
 * every 10 iterations): the output, the exit codes (0 healthy, 1 an error incident, 2 a file that is not a recording)
 * and the JSON report.
 */
class StatsDiagnoseCommandTest {

    @TempDir
    static Path dir;

    static Path healthy;
    static Path diverging;

    @BeforeAll
    static void record() {
        DataSet data = FashionMnist.load(FashionMnist.Split.TRAIN, 1536);
        healthy = record(new Adam(1e-3), data, 2, dir.resolve("healthy.dl4j"));
        diverging = record(new Adam(0.5), data, 1, dir.resolve("diverging.dl4j"));
    }

    /** A 784-128-64-10 ReLU MLP trained with only DL4J's StatsListener into a FileStatsStorage. */
    static Path record(IUpdater updater, DataSet data, int epochs, Path file) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("dense1").nIn(784).nOut(128).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense2").nIn(128).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .build());
        net.init();
        FileStatsStorage storage = new FileStatsStorage(file.toFile());
        try {
            net.setListeners(new StatsListener(storage));
            net.fit(new ListDataSetIterator<>(data.asList(), 32), epochs);
        } finally {
            storage.close();
        }
        return file;
    }

    @Test
    void aHealthyRecordingExitsZero() throws IOException {
        Path report = dir.resolve("healthy-report.json");
        DiagnoseCommandTest.Result r = diagnose("--stats", healthy.toString(), "--report", report.toString());
        System.out.println(r.out());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("9 StatsListener reports, one every 10 iterations, up to iteration 90")
                .contains("model: MultiLayerNetwork, 3 layers (dense1, dense2, output)")
                .contains("no problem found")
                .contains("-- Needs dl4j-debug attached during training")
                .contains("Result: 0 error incidents, 0 warning incidents -> exit code 0");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("schema").asText()).isEqualTo(RecordedReportJson.SCHEMA);
        assertThat(json.get("incidents")).isEmpty();
        assertThat(json.get("source").get("reportingFrequency").asInt()).isEqualTo(10);
    }

    @Test
    void adamAtHalfExitsOneWithTheLearningRateFirst() throws IOException {
        Path report = dir.resolve("diverging-report.json");
        DiagnoseCommandTest.Result r = diagnose("--stats", diverging.toString(), "--report", report.toString());
        System.out.println(r.out());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(DiagnoseCommand.ERRORS_FOUND);
        assertThat(r.out()).contains("1. ERROR LEARNING_RATE_TOO_HIGH")
                .contains(".updater(new Adam(0.001)) instead of new Adam(0.5)")
                .contains("LOSS_DIVERGING");
        JsonNode incidents = new ObjectMapper().readTree(report.toFile()).get("incidents");
        assertThat(incidents.get(0).get("symptom").asText()).isEqualTo("LEARNING_RATE_TOO_HIGH");
        assertThat(incidents.get(0).get("severity").asText()).isEqualTo("ERROR");
    }

    @Test
    void aFileThatIsNotARecordingExitsTwoWithOneLine() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a stats file\n".repeat(100), StandardCharsets.UTF_8);
        DiagnoseCommandTest.Result r = diagnose("--stats", text.toString(), "--report",
                dir.resolve("x.json").toString());
        assertThat(r.code()).isEqualTo(DiagnoseCommand.BAD_INPUT);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("diagnose: --stats " + text + " is not a DL4J FileStatsStorage")
                .contains("expected a file written by new FileStatsStorage(file) with DL4J's StatsListener");
        assertThat(r.out()).isEmpty();

        DiagnoseCommandTest.Result missing = diagnose("--stats", dir.resolve("none.dl4j").toString());
        assertThat(missing.code()).isEqualTo(DiagnoseCommand.BAD_INPUT);
        assertThat(missing.errLines()).containsExactly("diagnose: --stats " + dir.resolve("none.dl4j")
                + " does not exist; expected a file written by new FileStatsStorage(file) with DL4J's StatsListener "
                + "attached during training (new StatsListener(storage))");
    }

    @Test
    void statsReplacesModelAndData() {
        DiagnoseCommandTest.Result r = diagnose("--stats", healthy.toString(), "--model", "m.json");
        assertThat(r.code()).isEqualTo(DiagnoseCommand.BAD_INPUT);
        assertThat(r.errLines()).containsExactly("diagnose: --stats " + healthy + " diagnoses a recorded run without "
                + "training; leave out --model, --data and --stats-file");
        DiagnoseCommandTest.Result none = diagnose("--iterations", "5");
        assertThat(none.code()).isEqualTo(DiagnoseCommand.BAD_INPUT);
        assertThat(none.errLines()).containsExactly("diagnose: --model FILE and --data SPEC are required (or --stats "
                + "FILE for a run recorded by DL4J's StatsListener)");
    }
}
