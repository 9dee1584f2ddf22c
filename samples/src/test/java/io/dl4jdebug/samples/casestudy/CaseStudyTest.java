package io.dl4jdebug.samples.casestudy;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.cli.cifar.CifarLayout;
import io.dl4jdebug.cli.ui.UiOptions;
import io.dl4jdebug.cli.ui.UiSession;
import io.dl4jdebug.ui.storage.DebugRecord;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The case study in a short configuration, on generated CIFAR-layout images read by DL4J's own
 * Cifar10DataSetIterator: the buggy run is diagnosed as a BatchNorm misconfiguration on a BatchNorm layer and its
 * loss stays at ln(10); the fixed run's loss falls clearly below it. Both runs are recorded in a stats file
 * ({@code --stats-file}) that is reopened and read back.
 */
class CaseStudyTest {

    private static final double LN10 = Math.log(10);

    @Test
    void buggyRunIsDiagnosedAndFixedRunLearns(@TempDir Path work) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path report = work.resolve("report.json");
        CaseStudyConfig config = new CaseStudyConfig(120, 30, 10, 3, new int[] {8, 16}, 1, true, true, null,
                work, false, report, 42, 60, 12);

        Path statsFile = work.resolve("stats/case-study.dl4j");
        PrintStream printed = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<RunResult> results;
        try (UiSession ui = UiSession.start(new UiOptions(false, 0, null, statsFile), printed)) {
            results = new CaseStudy(config, printed, ui).run();
        }

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("SYNTHETIC DATA");
        assertThat(Files.list(CifarLayout.datasetDir(work.resolve("synthetic-13-4-42")).resolve("train"))).hasSize(10);

        RunResult buggy = results.get(0);
        Incident first = buggy.diagnosis().incidents().get(0);
        assertThat(first.symptom()).as(buggy.diagnosis().incidents().toString())
                .isEqualTo(Symptom.BATCHNORM_MISCONFIGURED);
        assertThat(first.level()).isEqualTo(Level.CODE);
        assertThat(first.root().layer()).isEqualTo("stem_bn");
        assertThat(first.fix().get(0)).contains("stem_bn").contains(".gamma(1.0) instead of .gamma(0.0)");
        assertThat(first.confirmed()).as(String.valueOf(first.verification())).isTrue();
        assertThat(buggy.diagnosis().loud()).hasSizeLessThanOrEqualTo(3);
        assertThat(out.indexOf("verified on a copy")).isPositive().isLessThan(out.indexOf("The fixed ResNet"));
        assertThat(buggy.trainLoss()).allSatisfy(l -> assertThat(l).isCloseTo(LN10, org.assertj.core.data.Offset
                .offset(0.02)));
        assertThat(buggy.minimal().canOverfit()).isFalse();
        assertThat(buggy.minimal().culpritSegment()).hasValueSatisfying(s -> assertThat(s.members())
                .anyMatch(m -> m.contains("bn")));

        RunResult fixed = results.get(1);
        assertThat(fixed.finalTrainLoss()).isLessThan(LN10 - 0.4);
        assertThat(fixed.findings()).noneMatch(f -> f.symptom() == Symptom.BATCHNORM_MISCONFIGURED);
        assertThat(fixed.diagnosis().loud()).as(fixed.diagnosis().incidents().toString()).isEmpty();

        assertThat(Files.readString(report)).contains("\"schema\" : \"dl4j-debug-report/2\"")
                .contains("BATCHNORM_MISCONFIGURED");
        assertThat(Files.exists(work.resolve("report-fixed.json"))).isTrue();
        assertThat(out).contains("Side by side").contains("Root cause");

        assertStatsFileHoldsBothRuns(statsFile);
    }

    /** --stats-file: each network is its own session, with DL4J's records and the Debug page's. */
    private static void assertStatsFileHoldsBothRuns(Path statsFile) throws Exception {
        FileStatsStorage reopened = new FileStatsStorage(statsFile.toFile());
        try {
            List<String> sessions = reopened.listSessionIDs();
            assertThat(sessions).hasSize(2);
            String buggy = sessions.stream().filter(s -> s.contains("case-study-buggy")).findFirst().orElseThrow();
            String fixed = sessions.stream().filter(s -> s.contains("case-study-fixed")).findFirst().orElseThrow();
            assertThat(reopened.listTypeIDsForSession(buggy)).contains("StatsListener", "Dl4jDebugGradients",
                    "Dl4jDebugChecklist", "Dl4jDebugLoss", "Dl4jDebugFindings");
            assertThat(symptomsStored(reopened, buggy)).contains(Symptom.BATCHNORM_MISCONFIGURED);
            assertThat(symptomsStored(reopened, fixed)).doesNotContain(Symptom.BATCHNORM_MISCONFIGURED);
        } finally {
            reopened.close();
        }
    }

    private static List<Symptom> symptomsStored(FileStatsStorage storage, String session) {
        String type = "Dl4jDebugFindings";
        return storage.listWorkerIDsForSessionAndType(session, type).stream()
                .flatMap(w -> storage.getAllUpdatesAfter(session, type, w, Long.MIN_VALUE).stream())
                .map(p -> ((DebugRecord) p).payload(Finding.class).symptom()).toList();
    }

    @Test
    void dataDirWithoutCifarIsOneLineAndExitCode2(@TempDir Path work) throws Exception {
        Path empty = Files.createDirectories(work.resolve("not-cifar"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = new picocli.CommandLine(new CaseStudyCommand()).execute("--bug", "--data-dir", empty.toString(),
                    "--work-dir", work.toString());
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList()).singleElement()
                .asString().contains("--data-dir " + empty).contains("holds no CIFAR-10");
    }

    @Test
    void invalidSizesAreRefusedNamingTheOption(@TempDir Path work) {
        assertThatThrownBy(() -> new CaseStudyConfig(5, 50, 20, 3, new int[] {8}, 1, true, true, null, work, false,
                null, 1, 100, 0)).hasMessage("--train-size must be >= 10 but was 5");
        assertThatThrownBy(() -> new CaseStudyConfig(100, 50, 200, 3, new int[] {8}, 1, true, true, null, work,
                false, null, 1, 100, 0)).hasMessage("--batch must be in [1, --train-size=100] but was 200");
    }
}
