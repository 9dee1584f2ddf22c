package io.dl4jdebug.cli.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.publish.JsonReportSink;
import io.dl4jdebug.cli.DebugCli;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code diagnose} run terminated with SIGTERM exits within seconds and leaves one complete report, whatever it was
 * doing: the checklist, training, the epoch-end evaluation, the fix trials, or serving the UI. The run is a child JVM
 * (the command line's own {@code main}) on a small residual CNN; the test asks it for thread dumps (SIGQUIT, printed
 * on its standard output) until its main thread is in the stage, then sends SIGTERM.
 */
class DiagnoseSigtermTest {

    /** How long a terminated run may take to exit: the watchdog's limit plus room for a loaded machine. */
    private static final long EXIT_SECONDS = 30;
    /** How long to wait for the run to reach a stage. */
    private static final long STAGE_SECONDS = 240;

    @TempDir
    static Path models;

    @TempDir
    Path dir;

    private static Path healthy;
    private static Path diverging;

    /** Where the run is when SIGTERM comes: the frame its main thread is in. */
    enum Stage {
        CHECKLIST("io.dl4jdebug.preflight.QuickChecklist.run", null),
        TRAINING("org.deeplearning4j.nn.graph.ComputationGraph.fit", "io.dl4jdebug.listener.LossMonitor"),
        EPOCH_END_EVALUATION("io.dl4jdebug.listener.LossMonitor.onEpochEnd", null),
        FIX_TRIALS("io.dl4jdebug.repair.FixVerifier.verify", null),
        UI_SERVING("io.dl4jdebug.cli.ui.UiSession.awaitAfterTraining", null);

        private final String frame;
        private final String notFrame;

        Stage(String frame, String notFrame) {
            this.frame = frame;
            this.notFrame = notFrame;
        }

        boolean matches(String mainStack) {
            return mainStack.contains(frame) && (notFrame == null || !mainStack.contains(notFrame))
                    && (this == CHECKLIST || !mainStack.contains("QuickChecklist"));
        }
    }

    @BeforeAll
    static void models() throws IOException {
        healthy = residualCnn("healthy.zip", new Adam(1e-3));
        diverging = residualCnn("diverging.zip", new Sgd(1e4));
    }

    /** A small residual CNN on Fashion-MNIST: two 3x3 convolutions, their sum, pooling, softmax. */
    private static Path residualCnn(String name, IUpdater updater) throws IOException {
        var conf = new NeuralNetConfiguration.Builder().seed(1).updater(updater).graphBuilder().addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build(), "c1")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c1", "c2")
                .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutionalFlat(28, 28, 1)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        Path file = models.resolve(name);
        ModelSerializer.writeModel(net, file.toFile(), true);
        return file;
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void aTerminatedRunExitsWithinSecondsWithOneReport(Stage stage) throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Path report = reports.resolve("report.json");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                DebugCli.class.getName(), "diagnose", "--model",
                (stage == Stage.FIX_TRIALS ? diverging : healthy).toString(), "--data", "fashion-mnist",
                "--examples", "640", "--iterations", "40", "--verify-iterations", "20",
                "--report", report.toString()));
        if (stage == Stage.UI_SERVING) {
            command.addAll(List.of("--ui", "--ui-port", "0", "--ui-seconds", "300"));
        }
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process child = builder.start();
        try {
            boolean reached = awaitStage(child, out, stage);
            assertThat(reached).as("the run reached %s; its output:%n%s", stage, tail(out)).isTrue();
            long sent = System.nanoTime();
            child.destroy(); // SIGTERM
            boolean exited = child.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - sent) / 1e9;
            assertThat(exited).as("exited within %d s of SIGTERM at %s; output:%n%s", EXIT_SECONDS, stage,
                    tail(out)).isTrue();
            System.out.printf("SIGTERM at %s: exited in %.1f s with status %d%n", stage, seconds,
                    child.exitValue());
            assertThat(tail(out)).doesNotContain("halting");
        } finally {
            child.destroyForcibly();
        }
        try (Stream<Path> files = Files.list(reports)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            if (stage == Stage.CHECKLIST) {
                // the report sink starts with training: nothing is written before, not even a temporary file
                assertThat(names).isEmpty();
                return;
            }
            assertThat(names).as("one report, no temporary file left").containsExactly("report.json");
        }
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("schema").asText()).isEqualTo(JsonReportSink.SCHEMA);
        System.out.println("  report reason " + json.get("reason").asText() + ", iterations "
                + json.get("iterations").asLong());
        if (stage == Stage.TRAINING || stage == Stage.EPOCH_END_EVALUATION) {
            assertThat(json.get("reason").asText()).isEqualTo("shutdown");
        }
    }

    /** Asks the child for a thread dump every 150 ms until its main thread is in the stage (or it exits). */
    private static boolean awaitStage(Process child, Path out, Stage stage) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STAGE_SECONDS);
        while (System.nanoTime() < deadline && child.isAlive()) {
            Process quit = new ProcessBuilder("kill", "-QUIT", Long.toString(child.pid())).start();
            quit.waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(150);
            String text = Files.readString(out);
            int at = text.lastIndexOf("\"main\" #1");
            if (at >= 0) {
                int end = text.indexOf("\n\n", at);
                String main = end < 0 ? text.substring(at) : text.substring(at, end);
                if (stage.matches(main)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String tail(Path out) throws IOException {
        String text = Files.exists(out) ? Files.readString(out) : "";
        String[] lines = text.lines().filter(l -> !l.startsWith("\tat ") && !l.contains(" DEBUG "))
                .toArray(String[]::new);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 25),
                lines.length));
    }
}
