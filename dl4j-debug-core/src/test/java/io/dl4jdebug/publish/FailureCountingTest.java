package io.dl4jdebug.publish;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repeated failures of a sink or a listener are logged at DEBUG after the first, so they are counted: one WARN line
 * per failing part at close and a {@code "failures"} entry in the JSON report, each with the count and the first
 * failure.
 */
class FailureCountingTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger("io.dl4jdebug");

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        root.detachAppender(log);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aSinkFailingAtEveryIterationIsCountedInTheLogAndTheReport() throws IOException {
        DebugSink broken = new DebugSink() {
            @Override
            public String name() {
                return "broken-dashboard";
            }

            @Override
            public void onScore(ScoreSnapshot snapshot) {
                throw new IllegalStateException("dashboard offline");
            }
        };
        Path report = dir.resolve("report.json");
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().logging(false).sink(broken).report(report).build().attachTo(net);
        net.fit(FashionData.iterator(1024, 64), 2);
        suite.close();

        assertThat(net.getIterationCount()).isEqualTo(32);
        assertThat(warnings()).filteredOn(m -> m.contains("broken-dashboard")).hasSize(2)
                .last().asString().contains("sink 'broken-dashboard' failed 32 times")
                .contains("first: in onScore: IllegalStateException: dashboard offline");
        JsonNode failures = new ObjectMapper().readTree(report.toFile()).get("failures");
        assertThat(failures).isNotNull().hasSize(1);
        assertThat(failures.get(0).get("name").asText()).isEqualTo("sink 'broken-dashboard'");
        assertThat(failures.get(0).get("count").asLong()).isEqualTo(32);
        assertThat(failures.get(0).get("firstMessage").asText())
                .isEqualTo("IllegalStateException: dashboard offline");
    }

    @Test
    void aListenerFailingAtEveryEpochIsCountedInTheLogAndTheReport() throws IOException {
        // a real validation iterator that breaks when read: the suite's LossMonitor fails at every epoch's end
        DataSet part = FashionData.train(128);
        ListDataSetIterator<DataSet> unreadable = new ListDataSetIterator<>(part.asList(), 64) {
            private static final long serialVersionUID = 1L;

            @Override
            public DataSet next() {
                throw new IllegalStateException("validation file vanished");
            }
        };
        Path report = dir.resolve("listener-report.json");
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().logging(false).validation(unreadable).report(report).build()
                .attachTo(net);
        net.fit(FashionData.iterator(256, 64), 3);
        suite.close();

        assertThat(warnings()).filteredOn(m -> m.contains("LossMonitor")).hasSize(2)
                .last().asString().contains("LossMonitor failed 3 times")
                .contains("first: in onEpochEnd: IllegalStateException: validation file vanished");
        JsonNode failures = new ObjectMapper().readTree(report.toFile()).get("failures");
        assertThat(failures).isNotNull().hasSize(1);
        assertThat(failures.get(0).get("name").asText()).isEqualTo("LossMonitor");
        assertThat(failures.get(0).get("count").asLong()).isEqualTo(3);
    }

    @Test
    void aSinkOfTheLayerWrappersFailingAtEveryPassIsCountedAtClose() {
        DebugSink broken = new DebugSink() {
            @Override
            public String name() {
                return "broken-probe-store";
            }

            @Override
            public void onLayerProbes(io.dl4jdebug.measure.LayerProbeSnapshot snapshot) {
                throw new IllegalStateException("store full");
            }
        };
        MultiLayerNetwork wrapped;
        io.dl4jdebug.wrapper.ProbeSession session = io.dl4jdebug.wrapper.ProbeSession.builder().logging(false)
                .sink(broken).config(io.dl4jdebug.config.LayerProbeConfig.builder()
                        .statsSchedule(io.dl4jdebug.config.Schedule.everyIteration()).build()).build();
        try (session) {
            wrapped = io.dl4jdebug.wrapper.LayerWrappers.wrap(TestNets.mlp(TestNets.spec()), session.id());
            session.attachTo(wrapped);
            wrapped.fit(FashionData.iterator(256, 64), 2);
        }
        long passes = session.failures().count("sink 'broken-probe-store'");
        assertThat(session.failures().failures()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("sink 'broken-probe-store'");
            assertThat(f.firstMessage()).isEqualTo("IllegalStateException: store full");
        });
        assertThat(passes).isEqualTo(8); // one snapshot per pass: 2 epochs of 4 minibatches
        assertThat(warnings()).filteredOn(m -> m.contains("broken-probe-store")).hasSize(2).last().asString()
                .contains("failed " + passes + " times");
    }

    @Test
    void aHealthyRunReportsNoFailures() throws IOException {
        Path report = dir.resolve("healthy-report.json");
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().logging(false).report(report).build().attachTo(net);
        net.fit(FashionData.iterator(256, 64), 1);
        suite.close();

        assertThat(warnings()).isEmpty();
        assertThat(suite.failures()).isEmpty();
        assertThat(new ObjectMapper().readTree(report.toFile()).get("failures")).isEmpty();
    }
}
