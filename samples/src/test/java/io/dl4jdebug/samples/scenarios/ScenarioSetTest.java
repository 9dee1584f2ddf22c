package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.model.ModelKind;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.samples.gallery.GalleryData;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The labelled scenario set, run once with real training: its shape, every bug really provoked (its label's symptom
 * is found by the training or the checklist) except the documented {@link #KNOWN_GAPS}, and every healthy network
 * really learning. The ranking targets (root cause first) are not asserted here yet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioSetTest {

    /**
     * Bug scenarios whose label symptom dl4j-debug does not report yet, each with the reason. Remove an entry when
     * its detection lands.
     */
    static final Map<String, String> KNOWN_GAPS = Map.of();

    /** A healthy network's last inference-mode training loss must be at most this share of ln(10). */
    static final double LEARNED_SHARE_OF_LN10 = 0.75;

    private final Map<String, ScenarioRun> runs = new LinkedHashMap<>();
    private ScoreCard card;
    private Path workDir;

    @BeforeAll
    void runTheSet() throws IOException {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
        workDir = Files.createTempDirectory("dl4j-debug-scenarios");
        ScenarioData data = new ScenarioData(GalleryData.fromDefaultDirectory(), workDir);
        for (LabelledScenario s : ScenarioSet.all()) {
            runs.put(s.name(), ScenarioRunner.run(s, data));
        }
        card = ScoreCard.of(runs.values().stream().map(r -> ScenarioReport.of(r, ScenarioSet.reading())).toList());
        System.out.print(card.table());
        System.out.print(card.summary());
    }

    @Test
    void theDiagnosisNamesTheRootCauseFirstWithFewLinesNoContradictionAndNoFalseAlarm() {
        SoftAssertions soft = new SoftAssertions();
        String table = card.table() + card.summary();
        soft.assertThat(card.rootCauseFirst()).as("root cause first (target >= 90%%)%n%s", table)
                .isGreaterThanOrEqualTo((int) Math.ceil(0.9 * card.bugs()));
        soft.assertThat(card.rootCauseTop3()).as("root cause in the top 3%n%s", table)
                .isGreaterThanOrEqualTo(card.rootCauseFirst());
        soft.assertThat(card.medianLoudLines()).as("median loud lines per bug report%n%s", table)
                .isLessThanOrEqualTo(3);
        soft.assertThat(card.contradictory()).as("contradictory reports%n%s", table).isZero();
        soft.assertThat(card.falseAlarms()).as("false alarms on healthy networks%n%s", table).isZero();
        soft.assertAll();
    }

    @Test
    void everyConfirmedFixWasTriedOnACopyAndTheUsersNetworkKeptItsConfiguration() {
        SoftAssertions soft = new SoftAssertions();
        for (ScenarioRun run : runs.values()) {
            run.diagnosis().incidents().stream().filter(i -> i.confirmed()).forEach(i -> soft.assertThat(
                    i.verification().fixedAfter()).as("%s: %s", run.scenario().name(), i.verification().summary())
                    .isFinite());
        }
        soft.assertThat(runs.get("resnet-zero-gamma").diagnosis().first()).as("resnet-zero-gamma")
                .hasValueSatisfying(i -> soft.assertThat(i.confirmed()).isTrue());
        // frozen BatchNorm statistics: the configuration is the root, the measured train/inference mismatch (not
        // overfitting) is named under it, and the .decay(0.9) fix is confirmed on a copy
        soft.assertThat(runs.get("bn-frozen-running-stats").diagnosis().incidents()).as("bn-frozen-running-stats")
                .filteredOn(i -> i.symptom() == Symptom.BATCHNORM_MISCONFIGURED).singleElement().satisfies(i -> {
                    soft.assertThat(i.consequences()).extracting(SymptomGroup::symptom)
                            .contains(Symptom.TRAIN_INFERENCE_MISMATCH).doesNotContain(Symptom.OVERFITTING);
                    soft.assertThat(i.fix().get(0)).contains(".decay(0.9) instead of .decay(1.0)");
                    soft.assertThat(i.confirmed()).as(String.valueOf(i.verification())).isTrue();
                });
        soft.assertAll();
    }

    @AfterAll
    void deleteGeneratedImages() throws IOException {
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void theSetHasEnoughBugsHealthyNetworksAndGraphs() {
        List<LabelledScenario> all = ScenarioSet.all();
        List<LabelledScenario> bugs = all.stream().filter(s -> !s.label().isHealthy()).toList();
        List<LabelledScenario> healthy = all.stream().filter(s -> s.label().isHealthy()).toList();
        assertThat(bugs).hasSizeGreaterThanOrEqualTo(16);
        assertThat(healthy).hasSizeGreaterThanOrEqualTo(4);
        assertThat(all).extracting(LabelledScenario::name).doesNotHaveDuplicates();
        assertThat(bugs.stream().map(s -> s.label().symptom()).distinct().count()).as("distinct root causes")
                .isGreaterThanOrEqualTo(16);
        assertThat(all).filteredOn(s -> s.kind() == ModelKind.COMPUTATION_GRAPH).hasSizeGreaterThanOrEqualTo(3)
                .anyMatch(s -> s.label().isHealthy()).anyMatch(s -> !s.label().isHealthy());
        assertThat(healthy).anyMatch(s -> s.kind() == ModelKind.MULTI_LAYER_NETWORK);
        assertThat(bugs).filteredOn(s -> s.label().knownSymptom().isEmpty()).extracting(LabelledScenario::name)
                .as("labels core does not know yet must be known gaps").isSubsetOf(KNOWN_GAPS.keySet());
    }

    @Test
    void everyModelKindMatchesTheNetworkBuilt() {
        SoftAssertions soft = new SoftAssertions();
        runs.values().forEach(r -> soft.assertThat(NetworkOps.of(r.setup().network()).kind())
                .as(r.scenario().name()).isEqualTo(r.scenario().kind()));
        soft.assertAll();
    }

    @Test
    void everyBugIsProvoked() {
        SoftAssertions soft = new SoftAssertions();
        for (ScenarioRun run : runs.values()) {
            RootCause label = run.scenario().label();
            if (label.isHealthy() || KNOWN_GAPS.containsKey(run.scenario().name())) {
                continue;
            }
            soft.assertThat(run.reported(label.symptom()))
                    .as("%s: %s reported by the training or the checklist; findings: %s", run.scenario().name(),
                            label.symptom(), run.findings().stream().map(f -> f.symptom() + "@" + f.layer()).toList())
                    .isTrue();
        }
        soft.assertAll();
    }

    @Test
    void frozenBatchNormStatisticsMakeInferenceModeMuchWorseOnTheTrainingData() {
        ScenarioRun run = runs.get("bn-frozen-running-stats");
        NetworkOps ops = NetworkOps.of(run.setup().network());
        double training = ops.score(run.setup().train(), true);
        double inference = ops.score(run.setup().train(), false);
        assertThat(inference).as("inference-mode loss %s vs training-mode loss %s on the same data", inference,
                training).isGreaterThan(3 * training);
    }

    @Test
    void everyHealthyNetworkLearns() {
        SoftAssertions soft = new SoftAssertions();
        for (ScenarioRun run : runs.values()) {
            if (!run.scenario().label().isHealthy()) {
                continue;
            }
            List<EpochSnapshot> epochs = run.epochs();
            soft.assertThat(epochs).as(run.scenario().name()).isNotEmpty();
            if (!epochs.isEmpty()) {
                soft.assertThat(epochs.get(epochs.size() - 1).trainLoss()).as("%s: last training loss",
                        run.scenario().name()).isLessThan(LEARNED_SHARE_OF_LN10 * Math.log(10));
            }
        }
        soft.assertAll();
    }

    @Test
    void knownGapsNameBugScenarios() {
        Set<String> names = runs.keySet();
        assertThat(names).containsAll(KNOWN_GAPS.keySet());
    }
}
