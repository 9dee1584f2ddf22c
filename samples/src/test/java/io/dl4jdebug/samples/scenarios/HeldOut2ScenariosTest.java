package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.samples.gallery.GalleryData;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The second held-out set is well formed: unique names apart from the labelled and first held-out sets', a healthy
 * twin for every bug, the counts per family and detection that docs/samples.md claims, labels that name known
 * symptoms and layers that exist, and {@code scenarios --set held-out-2} selects it. Nothing is trained.
 */
class HeldOut2ScenariosTest {

    private static final List<LabelledScenario> ALL = HeldOut2Scenarios.all();

    private static List<LabelledScenario> bugs() {
        return ALL.stream().filter(s -> !s.label().isHealthy()).toList();
    }

    @Test
    void namesAreUniqueAndApartFromTheOtherSets() {
        List<String> names = ALL.stream().map(LabelledScenario::name).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.startsWith("h2-") && n.matches("[a-z0-9-]+"));
        Set<String> others = java.util.stream.Stream.concat(ScenarioSet.all().stream(), HeldOutScenarios.all().stream())
                .map(LabelledScenario::name).collect(Collectors.toSet());
        assertThat(names).noneMatch(others::contains);
    }

    @Test
    void everyBugHasATwinAndEveryHealthyNetworkNone() {
        for (LabelledScenario s : ALL) {
            assertThat(s).as(s.name()).isInstanceOf(BuiltScenario.class);
            assertThat(((BuiltScenario) s).twinBuilder() != null).as(s.name() + " has a twin")
                    .isEqualTo(!s.label().isHealthy());
        }
    }

    @Test
    void countsPerFamilyAndDetectionAreAsDocumented() {
        assertThat(bugs()).hasSize(11);
        assertThat(ALL.stream().filter(s -> s.label().isHealthy())).hasSize(5);
        Map<Family, Long> bugFamilies = new EnumMap<>(Family.class);
        bugs().forEach(s -> bugFamilies.merge(s.family(), 1L, Long::sum));
        assertThat(bugFamilies).containsExactlyInAnyOrderEntriesOf(Map.of(Family.MLN, 5L, Family.CG, 2L,
                Family.CNN, 1L, Family.RNN, 2L, Family.KERAS, 1L));
        assertThat(ALL.stream().filter(s -> s.label().isHealthy()).map(LabelledScenario::family))
                .containsExactlyInAnyOrder(Family.values());
        long training = bugs().stream().filter(s -> s.label().detection() == Detection.ONLY_IN_TRAINING).count();
        assertThat(training).isEqualTo(7);
        assertThat(2 * training).isGreaterThanOrEqualTo(bugs().size());
    }

    @Test
    void labelsNameKnownSymptomsAndSettings() {
        for (LabelledScenario s : bugs()) {
            assertThat(s.label().knownSymptom()).as(s.name()).isPresent();
            assertThat(s.label().settings()).as(s.name()).isNotEmpty();
            assertThat(s.description()).as(s.name()).isNotBlank();
        }
    }

    @Test
    void labelledLayersExistInTheBugsNetwork(@TempDir Path work) {
        assumeTrue(Files.isDirectory(FashionMnist.defaultDirectory()), "Fashion-MNIST is not installed");
        ScenarioData data = new ScenarioData(GalleryData.sampled(FashionMnist.defaultDirectory(), 1), work);
        for (LabelledScenario s : bugs()) {
            Set<String> layers = layerNames(s.setup(data).network());
            assertThat(s.label().layers()).as(s.name() + " in " + layers).allMatch(layers::contains);
        }
    }

    @Test
    void setOptionSelectsTheSecondHeldOutSet() {
        assertThat(ScenarioSet.named("held-out-2")).isEqualTo(ALL);
        assertThat(ScenarioSet.named("held-out")).isEqualTo(HeldOutScenarios.all());
        assertThat(ScenarioSet.named("labelled")).isEqualTo(ScenarioSet.all());
        assertThatThrownBy(() -> ScenarioSet.named("heldout2")).hasMessageContaining("held-out-2")
                .hasMessageContaining("labelled");
        assertThatThrownBy(() -> ScenarioSet.byNames(ALL, List.of("lr-too-high")))
                .hasMessageContaining("lr-too-high").hasMessageContaining(ALL.get(0).name());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new picocli.CommandLine(new ScenariosCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute("--set", "held-out-2", "--list");
        assertThat(code).isZero();
        String listed = out.toString(StandardCharsets.UTF_8);
        assertThat(ALL).allMatch(s -> listed.contains(s.name()));
        assertThat(listed).doesNotContain("lr-too-high").doesNotContain("ho-");

        int bad = new picocli.CommandLine(new ScenariosCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute("--set", "nope", "--list");
        assertThat(bad).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--set nope").contains("held-out-2");
    }

    private static Set<String> layerNames(Model network) {
        if (network instanceof ComputationGraph g) {
            return Arrays.stream(g.getVertices()).map(v -> v.getVertexName()).collect(Collectors.toSet());
        }
        return Arrays.stream(((MultiLayerNetwork) network).getLayers())
                .map(l -> l.conf().getLayer().getLayerName()).collect(Collectors.toSet());
    }
}
