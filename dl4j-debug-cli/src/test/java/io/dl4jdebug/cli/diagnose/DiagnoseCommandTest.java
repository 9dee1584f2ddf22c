package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.publish.JsonReportSink;
import io.dl4jdebug.cli.cifar.SyntheticCifar;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The diagnose command end to end: exit codes, the report, and one-line messages for bad input. */
public class DiagnoseCommandTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
    }

    /** A Fashion-MNIST MLP configuration as MultiLayerConfiguration.toJson() writes it. */
    static Path mlp(String file, int nIn, int nOut, IUpdater updater) throws IOException {
        return mlp(dir, file, nIn, nOut, updater);
    }

    /**
     * @param directory where to write it
     * @param file      the file name
     * @param nIn       inputs of the first layer
     * @param nOut      outputs of the softmax layer
     * @param updater   the updater
     * @return a Fashion-MNIST-style MLP configuration as MultiLayerConfiguration.toJson() writes it
     * @throws IOException when it cannot be written
     */
    public static Path mlp(Path directory, String file, int nIn, int nOut, IUpdater updater) throws IOException {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("dense1").nIn(nIn).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(64).nOut(nOut)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .build();
        Path path = directory.resolve(file);
        Files.writeString(path, conf.toJson());
        return path;
    }

    /** What a command run printed and returned. */
    public record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /**
     * @param args command-line arguments
     * @return the exit code and what was printed
     */
    public static Result diagnose(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cmd = new CommandLine(new DiagnoseCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        List<String> all = new ArrayList<>(List.of(args));
        int code = cmd.execute(all.toArray(new String[0]));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void healthyMlpExitsZeroAndWritesTheReport() throws IOException {
        Path model = mlp("healthy.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Path report = dir.resolve("healthy-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "60",
                "--examples", "1024", "--report", report.toString());
        assertThat(r.code).as(r.out + r.err).isZero();
        assertThat(r.out).contains("0 error incidents").contains("no problem found")
                .contains("Report: " + report.toAbsolutePath());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("schema").asText()).isEqualTo(JsonReportSink.SCHEMA);
        assertThat(json.get("iterations").asLong()).isEqualTo(60);
        assertThat(json.get("checklist").size()).isGreaterThan(10);
        assertThat(json.get("model").get("layers").size()).isEqualTo(2);
    }

    @Test
    void learningRateFarTooHighExitsOneWithTheErrorInTheReport() throws IOException {
        Path model = mlp("broken.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Sgd(1e4));
        Path report = dir.resolve("broken-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "60",
                "--examples", "1024", "--report", report.toString());
        assertThat(r.code).as(r.out + r.err).isEqualTo(1);
        assertThat(r.out).contains("1. ERROR LEARNING_RATE_TOO_HIGH").contains("verified on a copy")
                .contains("fixes tried on copies of the network in");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("schema").asText()).isEqualTo("dl4j-debug-report/2");
        JsonNode first = json.get("incidents").get(0);
        assertThat(first.get("symptom").asText()).isEqualTo("LEARNING_RATE_TOO_HIGH");
        assertThat(first.get("verification").get("confirmed").asBoolean()).isTrue();
        assertThat(first.get("consequences").findValuesAsText("symptom")).isNotEmpty()
                .doesNotContain("LEARNING_RATE_TOO_LOW");
        JsonNode findings = json.get("findings");
        assertThat(findings.get(0).get("symptom").asText()).isEqualTo("LEARNING_RATE_TOO_HIGH");
        assertThat(findings.get(0).get("role").asText()).isEqualTo("ROOT");
        assertThat(findings.get(0).get("incident").asInt()).isEqualTo(1);
        assertThat(findings.findValuesAsText("role")).contains("CONSEQUENCE");
        assertThat(findings.get(0).get("layers").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void missingModelFileIsOneLineAndExitCode2() {
        Result r = diagnose("--model", dir.resolve("nope.json").toString(), "--data", "fashion-mnist");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("nope.json").contains("no such file");
    }

    @Test
    void jsonThatIsNotADl4jConfigurationIsOneLineAndExitCode2() throws IOException {
        Path path = dir.resolve("other.json");
        Files.writeString(path, "{\"name\": \"not a network\", \"layers\": 3}");
        Result r = diagnose("--model", path.toString(), "--data", "fashion-mnist");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("other.json")
                .contains("is not a DL4J configuration");
    }

    @Test
    void inputShapeMismatchNamesBothNumbers() throws IOException {
        Path model = mlp("wide-input.json", 100, FashionMnist.CLASSES, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--examples", "256");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("nIn=100").contains("784 features")
                .contains("dense1");
    }

    @Test
    void outputWidthMismatchNamesBothNumbers() throws IOException {
        Path model = mlp("five-classes.json", FashionMnist.PIXELS, 5, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--examples", "256");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("gives 5 values").contains("10 classes");
    }

    @Test
    void unknownDataSpecIsOneLineAndExitCode2() throws IOException {
        Path model = mlp("any.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "mnist");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("'mnist'").contains("fashion-mnist[:DIR]");
    }

    @Test
    void missingDataDirectoryIsOneLineAndExitCode2() throws IOException {
        Path model = mlp("any2.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist:" + dir.resolve("nowhere"));
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("nowhere");
    }

    @Test
    void csvWithAHeaderAndTheLabelLastIsRead() throws IOException {
        Path csv = dir.resolve("blobs.csv");
        StringBuilder rows = new StringBuilder("x0,x1,x2,x3,label\n");
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 300; i++) {
            int label = i % 3;
            for (int c = 0; c < 4; c++) {
                rows.append(String.format(java.util.Locale.ROOT, "%.4f,", (c == label ? 2.0 : 0.0)
                        + random.nextGaussian() * 0.5));
            }
            rows.append(label).append('\n');
        }
        Files.writeString(csv, rows);
        Path model = mlp("csv-mlp.json", 4, 3, new Adam(1e-2));
        Path report = dir.resolve("csv-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--iterations", "40",
                "--batch", "16", "--examples", "300", "--report", report.toString());
        assertThat(r.code).as(r.out + r.err).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("iterations").asLong()).isEqualTo(40);
        assertThat(json.get("findings").findValuesAsText("severity")).doesNotContain("ERROR");
    }

    private static Path blobs(String file, int rows) throws IOException {
        return CsvFixtures.blobs(dir, file, rows);
    }

    @Test
    void healthyMlpWithTheDefaultSampleIsNotOverfittingAfter300Iterations() throws IOException {
        Path model = mlp("healthy-300.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Path report = dir.resolve("healthy-300-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "300",
                "--report", report.toString());
        assertThat(r.code).as(r.out + r.err).isZero();
        // 300 x 32 = 9,600 training examples + 1,000 held out: one pass, not 11 epochs over 1,639 examples
        assertThat(r.out).contains("10600 examples (9600 train, 1000 held out").contains("--examples not given")
                .doesNotContain("OVERFITTING");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("findings").findValuesAsText("symptom")).doesNotContain("OVERFITTING");
        assertThat(json.get("epochs").asInt()).isLessThanOrEqualTo(1);
    }

    @Test
    void aFittingVerdictOnASmallSampleSaysSo() throws IOException {
        // --examples given explicitly wins: 300 iterations over 1,639 training examples are ~6 passes
        Path model = mlp("small-sample.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "300",
                "--examples", "2048", "--no-verify-fixes", "--report", dir.resolve("small-sample-report.json")
                        .toString());
        assertThat(r.out).contains("2048 examples (1639 train, 409 held out").doesNotContain("--examples not given")
                .contains("OVERFITTING").contains("note: OVERFITTING was judged on a small sample: 300 iterations "
                        + "are 6 passes over only 1639 training examples");
    }

    @Test
    void defaultExamplesCoverTheIterationsWithinBounds() {
        assertThat(DiagnoseCommand.defaultExamples(100, 32)).isEqualTo(4000);
        assertThat(DiagnoseCommand.defaultExamples(300, 32)).isEqualTo(10600);
        assertThat(DiagnoseCommand.defaultExamples(10, 32)).isEqualTo(DiagnoseCommand.MIN_DEFAULT_EXAMPLES);
        assertThat(DiagnoseCommand.defaultExamples(100_000, 32)).isEqualTo(DiagnoseCommand.MAX_DEFAULT_EXAMPLES);
    }

    @Test
    void aLongRunCountsEveryIterationAndKeepsTheFirstLoss() throws IOException {
        Path csv = blobs("long-run.csv", 300);
        Path model = mlp("long-run.json", 4, 3, new Adam(1e-2));
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--iterations", "1100",
                "--batch", "16", "--no-verify-fixes", "--report", dir.resolve("long-run.json.report").toString());
        assertThat(r.code).as(r.out + r.err).isIn(0, 1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("trained (\\d+) iterations in [0-9.]+ s; "
                + "minibatch loss ([0-9.eE+-]+) -> ([0-9.eE+-]+)").matcher(r.out);
        assertThat(m.find()).as(r.out).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(1100);
        // the loss of iteration 0 on 3 classes is about ln(3) = 1.1; by iteration 100 it is far below 0.5
        assertThat(Double.parseDouble(m.group(2))).isGreaterThan(0.5);
        assertThat(Double.parseDouble(m.group(3))).isLessThan(0.5);
    }

    @Test
    void csvWithOneLabelOutOfRangeIsLabelsInvalidWithTheLine() throws IOException {
        Path csv = dir.resolve("ten-classes-and-a-15.csv");
        StringBuilder rows = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 200; i++) {
            rows.append(i % 7).append(',').append(i % 5).append(',').append(i == 56 ? 15 : i % 10).append('\n');
        }
        Files.writeString(csv, rows);
        Path model = mlp("csv-ten.json", 2, 10, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv);
        assertThat(r.code).isEqualTo(2);
        // line 58: the header is line 1, row i is line i + 2
        assertThat(r.errLines()).singleElement().asString().contains("LABELS_INVALID")
                .contains("ten-classes-and-a-15.csv line 58").contains("label 15").doesNotContain("nOut(16)");

        Result given = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--classes", "10");
        assertThat(given.code).isEqualTo(2);
        assertThat(given.errLines()).singleElement().asString().contains("LABELS_INVALID").contains("line 58")
                .contains("outside --classes 10");
    }

    @Test
    void classesOptionSetsTheClassCountOfCsvData() throws IOException {
        Path csv = blobs("three-of-five.csv", 120);
        Path model = mlp("csv-five.json", 4, 5, new Adam(1e-2));
        Path report = dir.resolve("five-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--classes", "5",
                "--iterations", "20", "--batch", "16", "--no-verify-fixes", "--report", report.toString());
        assertThat(r.code).as(r.out + r.err).isIn(0, 1);
        assertThat(r.out).contains("5 label columns");
    }

    @Test
    void statsFileInAMissingDirectoryIsRefusedBeforeTraining() throws IOException {
        Path model = mlp("stats-any.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Path stats = dir.resolve("missing").resolve("dir").resolve("s.dl4j");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "5",
                "--stats-file", stats.toString(), "--report", dir.resolve("stats-report.json").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--stats-file " + stats)
                .contains("does not exist");
        assertThat(r.out).doesNotContain("-- Training").doesNotContain("Stats file:");
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void reportThatIsADirectoryIsRefusedBeforeTrainingWithoutAStackTrace() throws IOException {
        Path model = mlp("report-any.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Path folder = Files.createDirectories(dir.resolve("reports"));
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "5",
                "--report", folder.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--report " + folder)
                .contains("is a directory");
        assertThat(r.out).doesNotContain("-- Training").doesNotContain("\tat ");
    }

    @Test
    void reportUnderAFileIsRefusedBeforeTrainingWithoutAStackTrace() throws IOException {
        Path model = mlp("report-any2.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3));
        Path notADir = Files.writeString(dir.resolve("plain-file.txt"), "not a directory");
        Path report = notADir.resolve("report.json");
        Result r = diagnose("--model", model.toString(), "--data", "fashion-mnist", "--iterations", "5",
                "--report", report.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--report " + report)
                .contains("not a directory");
        assertThat(r.out + r.err).doesNotContain("-- Training").doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    @Test
    void csvWithATextCellInTheMiddleNamesTheLine() throws IOException {
        Path csv = dir.resolve("broken.csv");
        Files.writeString(csv, "a,b,label\n0.1,0.2,0\n0.3,oops,1\n");
        Path model = mlp("csv-any.json", 2, 2, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv);
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("broken.csv line 3").contains("not a number");
    }

    @Test
    void cifar10DirectoryInDl4jLayoutTrainsAConvNet() throws IOException {
        Path base = dir.resolve("cifar-generated");
        SyntheticCifar.generate(base, 8, 2, 3);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(8).stride(2, 2)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(32, 32, 3)).build();
        Path model = dir.resolve("cifar-cnn.json");
        Files.writeString(model, conf.toJson());
        Path report = dir.resolve("cifar-report.json");
        Result r = diagnose("--model", model.toString(), "--data", "cifar10:" + base, "--iterations", "6",
                "--batch", "10", "--examples", "80", "--work-dir", dir.resolve("cifar-work").toString(),
                "--report", report.toString());
        assertThat(r.code).as(r.out + r.err).isIn(0, 1);
        assertThat(r.out).contains("Data: CIFAR-10 from " + base).doesNotContain("SYNTHETIC");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("iterations").asLong()).isEqualTo(6);
        assertThat(json.get("model").get("layers").findValuesAsText("name")).contains("conv", "pool");
    }

    @Test
    void cifar10DirectoryWithoutImagesIsOneLineNamingTheOption() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-cifar-here"));
        Path model = mlp("cifar-any.json", 3072, 10, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "cifar10:" + empty, "--work-dir",
                dir.resolve("cifar-work2").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--data cifar10:" + empty)
                .contains("holds no CIFAR-10").contains("cifar-10-batches-bin");
    }

    @Test
    void modelSerializerZipIsRestoredWithItsParameters() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(Files.readString(
                mlp("for-zip.json", FashionMnist.PIXELS, FashionMnist.CLASSES, new Adam(1e-3)))));
        net.init();
        Path zip = dir.resolve("trained.zip");
        ModelSerializer.writeModel(net, zip.toFile(), true);
        Path report = dir.resolve("zip-report.json");
        Result r = diagnose("--model", zip.toString(), "--data", "fashion-mnist", "--iterations", "20",
                "--examples", "512", "--report", report.toString());
        assertThat(r.code).as(r.out + r.err).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("iterations").asLong()).isEqualTo(20);
        assertThat(json.get("model").get("layers").findValuesAsText("name")).contains("dense1", "output");
    }

    @Test
    void zipThatIsNotAModelIsOneLineAndExitCode2() throws IOException {
        Path zip = dir.resolve("photos.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("cat.txt"));
            z.write("meow".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Result r = diagnose("--model", zip.toString(), "--data", "fashion-mnist");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("photos.zip")
                .contains("not a ModelSerializer model");
    }
}
