package io.dl4jdebug.cli.diagnose;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.cli.diagnose.DiagnoseCommandTest.Result;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dl4jdebug.cli.diagnose.DiagnoseCommandTest.diagnose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code diagnose --data csv:...} read through DataVec: rows with a label column, header lines and regression; sequences
 * (one file per sequence) with per-step labels or a labels directory aligned to the end, fed to native (NCW) and
 * imported Keras (NWC) recurrent networks; one-line errors naming file, line and column.
 */
class CsvDiagnoseTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        // DiagnoseCommand's backend gate and checklist run on CPU; Fashion-MNIST marks a machine set up by setup-os.sh
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
    }

    /** @return the first and last minibatch losses diagnose printed */
    private static double[] losses(Result r) {
        Matcher m = Pattern.compile("minibatch loss ([0-9.eE+-]+) -> ([0-9.eE+-]+)").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    private static Path json(String file, MultiLayerConfiguration conf) throws IOException {
        Path path = dir.resolve(file);
        Files.writeString(path, conf.toJson());
        return path;
    }

    /** Sequences of 2 features, 4 to 9 steps; the class is whether x0 summed over the sequence is positive. */
    private static void writeSequence(Path file, Random random, int steps, boolean labelPerStep, Path labelsFile)
            throws IOException {
        StringBuilder text = new StringBuilder();
        double sum = 0;
        double[][] x = new double[steps][2];
        for (int t = 0; t < steps; t++) {
            x[t][0] = random.nextGaussian();
            x[t][1] = random.nextGaussian();
            sum += x[t][0];
        }
        double running = 0;
        for (int t = 0; t < steps; t++) {
            running += x[t][0];
            text.append(String.format(Locale.ROOT, "%.4f,%.4f", x[t][0], x[t][1]));
            if (labelPerStep) {
                text.append(',').append(running > 0 ? 1 : 0);
            }
            text.append('\n');
        }
        Files.writeString(file, text);
        if (labelsFile != null) {
            Files.writeString(labelsFile, (sum > 0 ? 1 : 0) + "\n");
        }
    }

    @Test
    void labelColumnFirstWithoutHeaderIsRead() throws IOException {
        Path csv = dir.resolve("label-first.csv");
        StringBuilder text = new StringBuilder();
        Random random = new Random(3);
        for (int i = 0; i < 240; i++) {
            int label = i % 3;
            text.append(label);
            for (int c = 0; c < 4; c++) {
                text.append(String.format(Locale.ROOT, ",%.4f", (c == label ? 2.0 : 0.0) + random.nextGaussian() * 0.5));
            }
            text.append('\n');
        }
        Files.writeString(csv, text);
        Path model = DiagnoseCommandTest.mlp(dir, "label-first.json", 4, 3, new Adam(1e-2));
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--label-column", "0",
                "--header-lines", "0", "--iterations", "40", "--batch", "16", "--no-verify-fixes",
                "--report", dir.resolve("label-first-report.json").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("240 examples").contains("features [4], 3 label columns");
        double[] loss = losses(r);
        assertThat(loss[1]).isLessThan(loss[0] / 2);
    }

    @Test
    void regressionColumnIsATargetNotAClass() throws IOException {
        Path csv = dir.resolve("regression.csv");
        StringBuilder text = new StringBuilder("a,b,y\n");
        Random random = new Random(4);
        for (int i = 0; i < 300; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            text.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, 1.5 * a - 0.5 * b + 0.3));
        }
        Files.writeString(csv, text);
        Path model = json("regression.json", new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(2).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("y").nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--regression",
                "--iterations", "60", "--batch", "16", "--no-verify-fixes",
                "--report", dir.resolve("regression-report.json").toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        assertThat(r.out()).contains("1 label columns");
        double[] loss = losses(r);
        assertThat(loss[1]).isLessThan(loss[0] / 3);
    }

    @Test
    void sequencesWithLabelsPerStepTrainANativeLstmWithMasks() throws IOException {
        Path seqs = Files.createDirectories(dir.resolve("per-step"));
        Random random = new Random(11);
        for (int i = 0; i < 160; i++) {
            writeSequence(seqs.resolve(i + ".csv"), random, 4 + i % 6, true, null);
        }
        Path model = json("lstm-per-step.json", new NeuralNetConfiguration.Builder().seed(2).updater(new Adam(2e-2))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().name("lstm").nIn(2).nOut(12).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("steps").nIn(12).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + seqs, "--iterations", "50",
                "--batch", "16", "--no-verify-fixes", "--report", dir.resolve("per-step-report.json").toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        // 160 sequences of 4..9 steps, padded to 9 and masked
        assertThat(r.out()).contains("recurrent, NCW [features, steps]").contains("160 examples")
                .contains("features [2, 9], 2 label columns");
        double[] loss = losses(r);
        assertThat(loss[1]).isLessThan(loss[0] * 0.8);
    }

    @Test
    void featuresAndLabelsDirectoriesAlignedToTheEndTrainAKerasLstm() throws IOException {
        Path base = dir.resolve("split");
        Path features = Files.createDirectories(base.resolve("features"));
        Path labels = Files.createDirectories(base.resolve("labels"));
        Random random = new Random(12);
        for (int i = 0; i < 200; i++) {
            writeSequence(features.resolve("seq_" + i + ".csv"), random, 4 + i % 6, false,
                    labels.resolve("seq_" + i + ".csv"));
        }
        Path model = KerasDiagnoseTest.kerasLstm(dir, "lstm-split.h5", 9, 2, 12, 2);
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + base, "--lr", "0.02",
                "--iterations", "60", "--batch", "16", "--no-verify-fixes",
                "--report", dir.resolve("split-report.json").toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
        // Keras' LSTM reads NWC; one output per sequence: the label of each sequence's last step
        assertThat(r.out()).contains("recurrent, NWC [steps, features]").contains("200 examples")
                .contains("features [9, 2], 2 label columns");
        double[] loss = losses(r);
        assertThat(loss[1]).isLessThan(loss[0] * 0.8);
    }

    @Test
    void aBadCellInASequenceFileNamesTheFileLineAndColumn() throws IOException {
        Path seqs = Files.createDirectories(dir.resolve("bad-seq"));
        Files.writeString(seqs.resolve("0.csv"), "0.1,0.2,0\n0.3,0.4,1\n");
        Files.writeString(seqs.resolve("1.csv"), "0.1,0.2,0\n0.3,x7,1\n0.5,0.6,1\n");
        Path model = KerasDiagnoseTest.kerasLstm(dir, "lstm-bad.h5", 3, 2, 4, 2);
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + seqs);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("1.csv line 2 column 2")
                .contains("not a number ('x7')");
    }

    @Test
    void sequenceFilesWithAndWithoutAHeaderAreOneLine() throws IOException {
        Path seqs = Files.createDirectories(dir.resolve("mixed-header"));
        Files.writeString(seqs.resolve("0.csv"), "0.1,0.2,0\n0.3,0.4,1\n");
        Files.writeString(seqs.resolve("1.csv"), "a,b,label\n0.1,0.2,0\n");
        Path model = KerasDiagnoseTest.kerasLstm(dir, "lstm-mixed.h5", 3, 2, 4, 2);
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + seqs);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("1.csv starts with a header")
                .contains("0.csv has none");
    }

    @Test
    void rowsForARecurrentModelAndSequencesForAFeedForwardOneAreRefused() throws IOException {
        Path rows = dir.resolve("rows.csv");
        Files.writeString(rows, "0.1,0.2,0\n0.3,0.4,1\n");
        Path lstm = KerasDiagnoseTest.kerasLstm(dir, "lstm-rows.h5", 3, 2, 4, 2);
        Result r = diagnose("--model", lstm.toString(), "--data", "csv:" + rows);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("is one file, read as rows")
                .contains("first layer is recurrent").contains("csv:DIR");

        Path seqs = Files.createDirectories(dir.resolve("seqs-for-mlp"));
        Files.writeString(seqs.resolve("0.csv"), "0.1,0.2,0\n");
        Path mlp = DiagnoseCommandTest.mlp(dir, "mlp-seqs.json", 2, 2, new Adam(1e-3));
        Result s = diagnose("--model", mlp.toString(), "--data", "csv:" + seqs);
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.errLines()).singleElement().asString().contains("is a directory, read as sequences")
                .contains("not recurrent");
    }

    @Test
    void labelColumnOutsideTheFileIsOneLine() throws IOException {
        Path csv = dir.resolve("three-columns.csv");
        Files.writeString(csv, "0.1,0.2,0\n0.3,0.4,1\n");
        Path model = DiagnoseCommandTest.mlp(dir, "mlp-three.json", 2, 2, new Adam(1e-3));
        Result r = diagnose("--model", model.toString(), "--data", "csv:" + csv, "--label-column", "5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--label-column 5")
                .contains("columns 0..2");
    }
}
