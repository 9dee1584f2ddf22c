package io.dl4jdebug.samples.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.cli.diagnose.DiagnoseCommandTest;
import io.dl4jdebug.samples.gallery.GalleryRunner;
import io.dl4jdebug.samples.gallery.Scenario;
import io.dl4jdebug.samples.scenarios.BuiltScenario;
import io.dl4jdebug.samples.scenarios.RootCause;
import io.dl4jdebug.samples.scenarios.ScenarioRunner;
import io.dl4jdebug.samples.scenarios.ScenarioSetup;
import io.dl4jdebug.cli.ui.UiSession;
import io.dl4jdebug.model.ModelKind;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One network, one dataset, three front ends: {@code diagnose}, the gallery's runner and the scenario set's runner
 * all run {@link io.dl4jdebug.DebugRun}, so they name the same incidents (root symptom and the setting its fix
 * changes, in order).
 */
class SamePipelineTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
    }

    private static final int EXAMPLES = 1280;
    private static final int HELD = 256;
    private static final int BATCH = 32;
    private static final int EPOCHS = 2;

    @Test
    void diagnoseTheGalleryRunnerAndTheScenarioRunnerNameTheSameIncidents() throws IOException {
        Path model = DiagnoseCommandTest.mlp(dir, "diverging.json", FashionMnist.PIXELS, FashionMnist.CLASSES,
                new Sgd(1e4));
        Path report = dir.resolve("report.json");
        DiagnoseCommandTest.Result cli = DiagnoseCommandTest.diagnose("--model", model.toString(), "--data",
                "fashion-mnist", "--examples", String.valueOf(EXAMPLES), "--batch", String.valueOf(BATCH),
                "--iterations", String.valueOf(EPOCHS * (EXAMPLES - HELD) / BATCH), "--verify-iterations",
                String.valueOf(GalleryRunner.VERIFY_ITERATIONS), "--report", report.toString());
        List<String> fromCli = new ArrayList<>();
        for (JsonNode i : new ObjectMapper().readTree(report.toFile()).get("incidents")) {
            if (!i.get("severity").asText().equals("INFO")) {
                fromCli.add(i.get("symptom").asText() + "/" + i.path("setting").asText(""));
            }
        }

        DataSet all = FashionMnist.load(FashionMnist.defaultDirectory(), FashionMnist.Split.TRAIN, EXAMPLES, true);
        all.shuffle(42);
        DataSet train = (DataSet) all.getRange(0, EXAMPLES - HELD);
        DataSet validation = (DataSet) all.getRange(EXAMPLES - HELD, EXAMPLES);
        String json = Files.readString(model);

        Diagnosis gallery = GalleryRunner.run(new Scenario(network(json), train, validation, BATCH, EPOCHS),
                UiSession.disabled().newRun("same"), null).diagnosis();
        Diagnosis scenario = ScenarioRunner.run(new BuiltScenario("same", "the same network", RootCause.healthy(),
                ModelKind.MULTI_LAYER_NETWORK, d -> new ScenarioSetup(network(json), train, validation, BATCH,
                EPOCHS)), null).diagnosis();

        assertThat(fromCli).as(cli.out()).isNotEmpty();
        assertThat(loud(gallery)).as("gallery runner").isEqualTo(fromCli);
        assertThat(loud(scenario)).as("scenario runner").isEqualTo(fromCli);
    }

    private static MultiLayerNetwork network(String json) {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        net.init();
        return net;
    }

    private static List<String> loud(Diagnosis d) {
        return d.loud().stream().map(i -> i.symptom() + "/" + i.setting().map(Enum::name).orElse("")).toList();
    }
}
