package io.dl4jdebug.publish;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A failing sink is reported once, by name, and neither training nor the other sinks notice. */
class SinkIsolationTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger sinkGroupLogger = (Logger) LoggerFactory.getLogger(SinkGroup.class);

    @BeforeEach
    void captureLog() {
        log.start();
        sinkGroupLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        sinkGroupLogger.detachAppender(log);
    }

    @Test
    void failingSinkIsReportedOnceAndTrainingGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        DebugSink broken = new DebugSink() {
            @Override
            public String name() {
                return "broken-dashboard";
            }

            @Override
            public void onGradients(GradientSnapshot snapshot) {
                calls.incrementAndGet();
                throw new IllegalStateException("dashboard offline");
            }
        };
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.THROW).sink(broken).build().attachTo(net);

        net.fit(FashionData.iterator(1024, 64), 2);

        assertThat(net.getIterationCount()).isEqualTo(32);
        assertThat(calls.get()).isEqualTo(22); // iterations 0..19 (the dense start), 20, 30
        assertThat(suite.recording().gradientSnapshots()).hasSize(22);
        assertThat(log.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).hasSize(1)
                .first().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("broken-dashboard").contains("onGradients");
    }

    @Test
    void loggingSinkFormatsOneLinePerFinding() {
        Finding f = Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "40 of 64 units dead").layer("h0")
                .firstIteration(20).evidence("deadFraction", 0.625).suggest(".biasInit(0.0)").build();

        assertThat(LoggingSink.format(f))
                .isEqualTo("[NUMERICAL] DEAD_UNITS at h0 from iteration 20: 40 of 64 units dead. Fix: .biasInit(0.0)");
    }

    @Test
    void recordingSinkKeepsABoundedHistory() {
        RecordingSink sink = new RecordingSink(3);
        for (int i = 0; i < 10; i++) {
            sink.onGradients(new GradientSnapshot(i, 0, 1, java.util.List.of()));
        }
        assertThat(sink.gradientSnapshots()).extracting(GradientSnapshot::iteration).containsExactly(7L, 8L, 9L);
    }

    @Test
    void defaultRecordingKeepsFewerPerLayerSnapshotsThanScores() {
        RecordingSink sink = new RecordingSink();
        for (int i = 0; i < 1500; i++) {
            sink.onScore(io.dl4jdebug.measure.ScoreSnapshot.of(i, 0, 1.0));
            if (i % 10 == 0) {
                sink.onGradients(new GradientSnapshot(i, 0, 1, java.util.List.of()));
            }
        }
        assertThat(sink.scoreSnapshots()).hasSize(RecordingSink.DEFAULT_CAPACITY)
                .first().extracting(io.dl4jdebug.measure.ScoreSnapshot::iteration).isEqualTo(500L);
        assertThat(sink.gradientSnapshots()).hasSize(RecordingSink.DEFAULT_LAYER_SNAPSHOT_CAPACITY)
                .first().extracting(GradientSnapshot::iteration).isEqualTo(500L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecordingSink(10, 0))
                .hasMessage("layerSnapshotCapacity must be >= 1 but was 0");
    }
}
