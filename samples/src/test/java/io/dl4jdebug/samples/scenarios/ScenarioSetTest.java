package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.measure.EpochSnapshot;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The labelled scenario set, run at every seed of {@link ScenarioSet#SEEDS} with real training: its structure, the
 * score card (per seed, readable before training and found only in training) held to the floors below, and every
 * healthy network really learning. The floors are what the merged diagnosis on main achieved on 2026-12-08 (the
 * lowest of the three seeds; of 24 bugs readable before training and 30 found only in training): raise them as it
 * improves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioSetTest {

    /** Root cause first, at every seed, among the bugs readable before training. */
    static final int FLOOR_FIRST_BEFORE = 24;
    /** Root cause first, at every seed, among the bugs found only in training. */
    static final int FLOOR_FIRST_TRAINING = 26;
    /** Root cause in the top 3, at every seed, among the bugs readable before training. */
    static final int FLOOR_TOP3_BEFORE = 24;
    /** Root cause in the top 3, at every seed, among the bugs found only in training. */
    static final int FLOOR_TOP3_TRAINING = 26;
    /** The first fix changes the label's setting, at every seed, among the bugs readable before training. */
    static final int FLOOR_FIX_BEFORE = 23;
    /** The first fix changes the label's setting, at every seed, among the bugs found only in training. */
    static final int FLOOR_FIX_TRAINING = 26;
    /** At most this median of loud lines per bug report, at every seed. */
    static final double CEILING_MEDIAN_LOUD_LINES = 1;
    /** At most this many contradictory reports, at every seed. */
    static final int CEILING_CONTRADICTORY = 0;
    /** At most this many healthy networks with a loud line, at every seed. */
    static final int CEILING_FALSE_ALARMS = 1;
    /** At least this many bug runs (all seeds) whose label's symptom is among the raw findings. */
    static final int FLOOR_LABEL_FOUND = 115;

    /** A healthy network's last inference-mode training loss must be at most this share of ln(10). */
    static final double LEARNED_SHARE_OF_LN10 = 0.75;

    private final List<ScenarioRun> runs = new ArrayList<>();
    private final List<ScenarioReport> reports = new ArrayList<>();
    private SetCard card;
    private Path workDir;
    private double seconds;

    @BeforeAll
    void runTheSet() throws IOException {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
        workDir = Files.createTempDirectory("dl4j-debug-scenarios");
        long start = System.nanoTime();
        for (long seed : ScenarioSet.SEEDS) {
            ScenarioData data = new ScenarioData(GalleryData.sampled(FashionMnist.defaultDirectory(), seed), workDir);
            for (LabelledScenario s : ScenarioSet.all()) {
                ScenarioRun run = ScenarioRunner.run(s, data);
                runs.add(run);
                reports.add(ScenarioReport.of(run, ScenarioSet.reading(), seed));
            }
        }
        seconds = (System.nanoTime() - start) / 1e9;
        card = new SetCard(reports);
        System.out.print(card.table());
        System.out.print(card.card());
        long found = runs.stream().filter(r -> !r.scenario().label().isHealthy()
                && r.reported(r.scenario().label().symptom())).count();
        System.out.printf(Locale.ROOT, "label found in any finding: %d of %d bug runs%n", found,
                runs.stream().filter(r -> !r.scenario().label().isHealthy()).count());
        System.out.printf(Locale.ROOT, "the set at %d seeds: %.1f s%n", ScenarioSet.SEEDS.size(), seconds);
    }

    @AfterAll
    void deleteGeneratedFiles() throws IOException {
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void theScoreCardHoldsItsFloorsAtEverySeed() {
        SoftAssertions soft = new SoftAssertions();
        String text = card.table() + card.card();
        for (long seed : ScenarioSet.SEEDS) {
            ScoreCard before = card.at(seed, Detection.BEFORE_TRAINING);
            ScoreCard training = card.at(seed, Detection.ONLY_IN_TRAINING);
            ScoreCard all = card.at(seed);
            soft.assertThat(before.rootCauseFirst()).as("seed %d: root cause first, before training%n%s", seed, text)
                    .isGreaterThanOrEqualTo(FLOOR_FIRST_BEFORE);
            soft.assertThat(training.rootCauseFirst()).as("seed %d: root cause first, only in training", seed)
                    .isGreaterThanOrEqualTo(FLOOR_FIRST_TRAINING);
            soft.assertThat(before.rootCauseTop3()).as("seed %d: top 3, before training", seed)
                    .isGreaterThanOrEqualTo(FLOOR_TOP3_BEFORE);
            soft.assertThat(training.rootCauseTop3()).as("seed %d: top 3, only in training", seed)
                    .isGreaterThanOrEqualTo(FLOOR_TOP3_TRAINING);
            soft.assertThat(before.fixChangesSetting()).as("seed %d: fix changes the setting, before training", seed)
                    .isGreaterThanOrEqualTo(FLOOR_FIX_BEFORE);
            soft.assertThat(training.fixChangesSetting()).as("seed %d: fix changes the setting, only in training",
                    seed).isGreaterThanOrEqualTo(FLOOR_FIX_TRAINING);
            soft.assertThat(all.medianLoudLines()).as("seed %d: median loud lines", seed)
                    .isLessThanOrEqualTo(CEILING_MEDIAN_LOUD_LINES);
            soft.assertThat(all.contradictory()).as("seed %d: contradictory reports", seed)
                    .isLessThanOrEqualTo(CEILING_CONTRADICTORY);
            soft.assertThat(all.falseAlarms()).as("seed %d: false alarms", seed)
                    .isLessThanOrEqualTo(CEILING_FALSE_ALARMS);
        }
        long found = runs.stream().filter(r -> !r.scenario().label().isHealthy()
                && r.reported(r.scenario().label().symptom())).count();
        soft.assertThat(found).as("bug runs whose label's symptom is among the findings").isGreaterThanOrEqualTo(
                FLOOR_LABEL_FOUND);
        soft.assertAll();
    }

    @Test
    void theSetHasEnoughBugsHealthyNetworksFamiliesAndSeeds() {
        List<LabelledScenario> all = ScenarioSet.all();
        List<LabelledScenario> bugs = all.stream().filter(s -> !s.label().isHealthy()).toList();
        List<LabelledScenario> healthy = all.stream().filter(s -> s.label().isHealthy()).toList();
        assertThat(bugs).hasSizeGreaterThanOrEqualTo(45);
        assertThat(healthy).hasSizeGreaterThanOrEqualTo(10);
        assertThat(bugs.stream().filter(s -> s.label().detection() == Detection.ONLY_IN_TRAINING).count())
                .as("bugs found only in training").isGreaterThanOrEqualTo((bugs.size() + 1) / 2);
        assertThat(all).extracting(LabelledScenario::name).doesNotHaveDuplicates();
        assertThat(bugs).extracting(LabelledScenario::family).containsAll(EnumSet.allOf(Family.class));
        assertThat(healthy).extracting(LabelledScenario::family).containsAll(EnumSet.allOf(Family.class));
        assertThat(bugs).allSatisfy(s -> assertThat(s.label().knownSymptom()).as(s.name()).isPresent());
        assertThat(ScenarioSet.SEEDS).hasSize(3).doesNotHaveDuplicates();
        assertThat(reports).hasSize(all.size() * ScenarioSet.SEEDS.size());
    }

    @Test
    void everyModelKindMatchesTheNetworkBuilt() {
        SoftAssertions soft = new SoftAssertions();
        runs.forEach(r -> soft.assertThat(NetworkOps.of(r.setup().network()).kind())
                .as(r.scenario().name()).isEqualTo(r.scenario().kind()));
        soft.assertAll();
    }

    @Test
    void everyHealthyNetworkLearnsAtEverySeed() {
        SoftAssertions soft = new SoftAssertions();
        for (ScenarioRun run : runs) {
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
    void everyConfirmedFixWasTriedOnACopy() {
        SoftAssertions soft = new SoftAssertions();
        for (ScenarioRun run : runs) {
            run.diagnosis().incidents().stream().filter(i -> i.confirmed()).forEach(i -> soft.assertThat(
                    i.verification().fixedAfter()).as("%s: %s", run.scenario().name(), i.verification().summary())
                    .isFinite());
        }
        soft.assertAll();
    }

    @Test
    void frozenBatchNormStatisticsMakeInferenceModeMuchWorseOnTheTrainingData() {
        SoftAssertions soft = new SoftAssertions();
        runs.stream().filter(r -> r.scenario().name().equals("bn-frozen-running-stats")).forEach(run -> {
            NetworkOps ops = NetworkOps.of(run.setup().network());
            double training = ops.score(run.setup().train(), true);
            double inference = ops.score(run.setup().train(), false);
            soft.assertThat(inference).as("inference-mode loss %s vs training-mode loss %s on the same data",
                    inference, training).isGreaterThan(3 * training);
        });
        soft.assertAll();
    }

    @Test
    void frozenBatchNormStatisticsAreNamedAsTheConfigurationWithTheDecayFix() {
        ScenarioRun run = runs.stream().filter(r -> r.scenario().name().equals("bn-frozen-running-stats"))
                .findFirst().orElseThrow();
        assertThat(run.diagnosis().incidents()).filteredOn(i -> i.symptom() == Symptom.BATCHNORM_MISCONFIGURED)
                .singleElement().satisfies(i -> {
                    assertThat(i.consequences()).extracting(SymptomGroup::symptom)
                            .contains(Symptom.TRAIN_INFERENCE_MISMATCH).doesNotContain(Symptom.OVERFITTING);
                    assertThat(i.fix().get(0)).contains(".decay(0.9) instead of .decay(1.0)");
                });
    }
}
