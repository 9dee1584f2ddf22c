package io.dl4jdebug.listener;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.publish.SinkGroup;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite under DL4J's ParallelWrapper with 2 CPU workers: the same listener objects are called from both worker
 * threads at once, each worker training its own replica with {@code fit(DataSet)} (no epoch callbacks).
 */
class ParallelWrapperTest {

    private static final int WORKERS = 2;
    private static final int ITERATIONS = 200;
    private static final int BATCH = 16;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Logger> watched = List.of((Logger) org.slf4j.LoggerFactory.getLogger(DebugListener.class),
            (Logger) org.slf4j.LoggerFactory.getLogger(SinkGroup.class));

    @BeforeEach
    void captureListenerErrors() {
        log.start();
        watched.forEach(l -> l.addAppender(log));
    }

    @AfterEach
    void release() {
        watched.forEach(l -> l.detachAppender(log));
    }

    /** 200 minibatches of real Fashion-MNIST, shared out between the workers by the wrapper. */
    private static ListDataSetIterator<DataSet> data() {
        return new ListDataSetIterator<>(FashionData.train(ITERATIONS * BATCH).asList(), BATCH);
    }

    private static MultiLayerNetwork net(IUpdater updater) {
        return TestNets.mlp(TestNets.spec().updater(updater));
    }

    private static void trainInParallel(MultiLayerNetwork net) throws Exception {
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(WORKERS).prefetchBuffer(4)
                .averagingFrequency(5).build()) {
            wrapper.fit(data());
        }
    }

    private List<String> listenerErrors() {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void healthyRunStaysSilentAndRecordsEachWorker() throws Exception {
        MultiLayerNetwork net = net(new org.nd4j.linalg.learning.config.Adam(1e-3));
        // every iteration, so that both workers are measured at the same moments: a listener whose per-network
        // state is shared between the worker threads loses (or mixes) snapshots
        DebugSuite suite = DebugSuite.builder().recordingCapacity(2 * ITERATIONS)
                .gradientConfig(GradientMonitorConfig.builder().schedule(Schedule.every(1)).build())
                .activationConfig(ActivationMonitorConfig.builder().schedule(Schedule.every(1)).build())
                .build().attachTo(net);

        trainInParallel(net);

        assertThat(listenerErrors()).as("errors logged by the listeners or sinks").isEmpty();
        assertThat(suite.findings()).filteredOn(f -> f.severity() != Severity.INFO).isEmpty();
        assertThat(suite.recording().gradientSnapshots()).hasSize(ITERATIONS);
        assertThat(suite.recording().activationSnapshots()).hasSize(ITERATIONS);
        assertThat(suite.firstNonFinite()).isEmpty();
        List<ScoreSnapshot> scores = suite.recording().scoreSnapshots();
        assertThat(scores).hasSize(ITERATIONS);
        Set<String> workers = scores.stream().map(ScoreSnapshot::worker).collect(Collectors.toSet());
        assertThat(workers).hasSize(WORKERS).doesNotContain("");
        assertThat(suite.recording().gradientSnapshots()).extracting(GradientSnapshot::worker)
                .containsOnlyElementsOf(workers);
        // each worker counts its own replica's iterations (a replica starts from the count its copy was made at)
        for (String w : workers) {
            List<Long> its = scores.stream().filter(s -> s.worker().equals(w)).map(ScoreSnapshot::iteration).toList();
            assertThat(its).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void divergingRunReportsNonFiniteOnceNamingTheWorker(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = net(new Sgd(1e4));
        Path file = dir.resolve("report.json");
        DebugSuite suite = DebugSuite.builder().report(file).build().attachTo(net);

        trainInParallel(net);
        suite.close();

        assertThat(listenerErrors()).as("errors logged by the listeners or sinks").isEmpty();
        List<Finding> nonFinite = new ArrayList<>(suite.findings().stream()
                .filter(f -> f.symptom() == Symptom.NON_FINITE).toList());
        assertThat(nonFinite).hasSize(1);
        Finding f = nonFinite.get(0);
        assertThat(f.workerId()).isPresent();
        assertThat(f.message()).contains("ParallelWrapper " + f.worker());
        assertThat(suite.recording().nonFiniteEvents()).singleElement()
                .satisfies(e -> assertThat(e.worker()).isEqualTo(f.worker()));
        JsonNode report = new ObjectMapper().readTree(file.toFile());
        assertThat(report.get("nonFinite").get("worker").asText()).isEqualTo(f.worker());
        List<String> reported = new ArrayList<>();
        report.get("findings").forEach(n -> {
            if (n.get("symptom").asText().equals("NON_FINITE")) {
                reported.add(n.get("worker").asText());
            }
        });
        assertThat(reported).containsExactly(f.worker());
    }

    @Test
    void eachWorkerJudgesWindowsOfItsIterationsAsEpochsWithTheValidationLoss() throws Exception {
        MultiLayerNetwork net = net(new org.nd4j.linalg.learning.config.Adam(1e-3));
        DataSetIterator validation = new ListDataSetIterator<>(FashionData.train(256).asList(), 128);
        DebugSuite suite = DebugSuite.builder().workerWindow(25).validation(validation).build().attachTo(net);

        trainInParallel(net);

        assertThat(listenerErrors()).as("errors logged by the listeners or sinks").isEmpty();
        List<EpochSnapshot> windows = suite.recording().epochSnapshots();
        Set<String> workers = windows.stream().map(EpochSnapshot::worker).collect(Collectors.toSet());
        assertThat(workers).hasSize(WORKERS).doesNotContain("");
        for (String w : workers) {
            List<EpochSnapshot> mine = windows.stream().filter(e -> e.worker().equals(w)).toList();
            // about 100 iterations per worker in windows of 25
            assertThat(mine).hasSizeBetween(2, 5).allSatisfy(e -> {
                assertThat(e.validationMeasured()).isTrue();
                assertThat(e.trainLoss()).isFinite().isPositive();
                assertThat(e.validationLoss()).isFinite().isPositive();
            });
            assertThat(mine).extracting(EpochSnapshot::epoch).isSorted().doesNotHaveDuplicates();
        }
        assertThat(suite.findings()).filteredOn(f -> f.severity() != Severity.INFO).isEmpty();
    }

    @Test
    void singleThreadedTrainingHasNoWorker(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = net(new Sgd(1e4));
        Path file = dir.resolve("report.json");
        DebugSuite suite = DebugSuite.builder().report(file).build().attachTo(net);

        net.fit(FashionData.iterator(1024, 64));
        suite.close();

        assertThat(suite.findings()).isNotEmpty().allSatisfy(f -> assertThat(f.workerId()).isEmpty());
        JsonNode report = new ObjectMapper().readTree(file.toFile());
        assertThat(report.get("nonFinite").has("worker")).isFalse();
        report.get("findings").forEach(n -> assertThat(n.has("worker")).isFalse());
        assertThat(suite.recording().scoreSnapshots()).extracting(ScoreSnapshot::workerId)
                .allSatisfy(w -> assertThat(w).isEmpty());
        assertThat(suite.recording().gradientSnapshots()).extracting(GradientSnapshot::worker).containsOnly("");
    }
}
