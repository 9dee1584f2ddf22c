package io.dl4jdebug.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.DebugRun;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite computes one diagnosis per event and pushes it; the JSON report writes that one, computing none. */
class DiagnosisPushTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneDiagnosisPerEpochReachesTheSinksAndTheReportWritesIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        EventCounter counter = new EventCounter();
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().logging(false).sink(counter).report(file).build().attachTo(net);
        net.fit(new ListDataSetIterator<>(FashionData.train(256).asList(), 64), 3);

        assertThat(counter.diagnosesPerEvent).as("diagnoses received after each epoch's end").containsExactly(1, 1, 1);
        assertThat(counter.beforeFirstEvent).isZero();
        JsonReportSink report = suite.report().orElseThrow();
        // the report holds the very diagnosis the other sinks received: it computed none of its own
        assertThat(report.currentDiagnosis()).isSameAs(counter.last);
        JsonNode written = JSON.readTree(file.toFile());
        assertThat(written.get("reason").asText()).isEqualTo("epoch-end");
        assertThat(written.get("epochs").asInt()).isEqualTo(3);
        assertThat(written.get("incidents")).hasSize(counter.last.incidents().size());

        suite.close();
        // close: one more diagnosis, pushed to every sink, written by the report as it is
        assertThat(counter.diagnosesPerEvent).containsExactly(1, 1, 2);
        assertThat(report.currentDiagnosis()).isSameAs(counter.last);
        assertThat(suite.publishedDiagnosis()).containsSame(counter.last);
        assertThat(JSON.readTree(file.toFile()).get("reason").asText()).isEqualTo("close");
    }

    @Test
    void debugRunTakesTheDiagnosisPushedAtCloseInsteadOfComputingAnother() {
        EventCounter counter = new EventCounter();
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Adam(1e-3)));
        DebugRun.Result r = DebugRun.on(net).train(FashionData.iterator(512, 32)).iterations(40).checklist(false)
                .suite(b -> b.sink(counter)).verify(VerifyBudget.ofIterations(10)).build().run();

        assertThat(r.diagnosis().loud()).as("a healthy run: nothing to verify").isEmpty();
        // the result is the very diagnosis close() pushed to the sinks, not a second computation
        assertThat(r.diagnosis()).isSameAs(counter.last);
        assertThat(r.suite().publishedDiagnosis()).containsSame(counter.last);
        assertThat(counter.diagnosesPerEvent).as("one per epoch end, one more at close").endsWith(2)
                .hasSize(counter.epochs);
    }

    @Test
    void aNanFindingIsOneEventWithOneDiagnosisWrittenAtOnce(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        DataSet data = FashionData.train(128);
        data.getFeatures().putScalar(new long[] {70, 3}, Double.NaN);
        EventCounter counter = new EventCounter();
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().logging(false).sink(counter).nanPolicy(NanPolicy.STOP).report(file)
                .build().attachTo(net);
        net.fit(suite.guard(new ListDataSetIterator<>(data.asList(), 32)), 3);

        assertThat(counter.nonFiniteFindings).isPositive();
        assertThat(counter.diagnosesPerEvent).as("one diagnosis per NaN finding or epoch end").hasSize(
                counter.nonFiniteFindings + counter.epochs).containsOnly(1);
        assertThat(suite.report().orElseThrow().currentDiagnosis()).isSameAs(counter.last);
        assertThat(counter.last.first()).hasValueSatisfying(i ->
                assertThat(i.symptom().name()).isEqualTo("DATA_NON_FINITE"));
        JsonNode written = JSON.readTree(file.toFile());
        assertThat(written.get("findings").get(0).get("symptom").asText()).isEqualTo("DATA_NON_FINITE");
        suite.close();
    }

    /** Counts the diagnoses a sink receives after each event (an epoch's end or a NaN/Inf finding). */
    private static final class EventCounter implements DebugSink {
        final List<Integer> diagnosesPerEvent = new ArrayList<>();
        int beforeFirstEvent;
        int epochs;
        int nonFiniteFindings;
        Diagnosis last;

        @Override
        public void onEpoch(EpochSnapshot snapshot) {
            epochs++;
            diagnosesPerEvent.add(0);
        }

        @Override
        public void onFinding(Finding finding) {
            if (JsonReportSink.isNonFinite(finding)) {
                nonFiniteFindings++;
                diagnosesPerEvent.add(0);
            }
        }

        @Override
        public void onDiagnosis(Diagnosis diagnosis) {
            last = diagnosis;
            if (diagnosesPerEvent.isEmpty()) {
                beforeFirstEvent++;
            } else {
                int at = diagnosesPerEvent.size() - 1;
                diagnosesPerEvent.set(at, diagnosesPerEvent.get(at) + 1);
            }
        }
    }
}
