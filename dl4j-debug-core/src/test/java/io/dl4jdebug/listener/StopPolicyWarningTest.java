package io.dl4jdebug.listener;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy STOP can end {@code fit} only through an iterator wrapped by {@code guard(...)}; with a plain iterator
 * training goes on, so the first non-finite event warns once, in one line, naming the fix. A guarded run, and the
 * other policies, stay quiet.
 */
class StopPolicyWarningTest {

    private static final int BATCHES = 6;
    private static final int BAD_BATCH = 2;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger latchLogger = (Logger) LoggerFactory.getLogger(NonFiniteLatch.class);

    @BeforeEach
    void captureLog() {
        log.start();
        latchLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        latchLogger.detachAppender(log);
    }

    /** Real Fashion-MNIST minibatches; batch 2 holds a NaN feature, so iteration 2 reports an event. */
    private static DataSetIterator iteratorWithNanAtBatch2() {
        List<DataSet> batches = FashionData.train(BATCHES * 16).batchBy(16);
        batches.get(BAD_BATCH).getFeatures().putScalar(3, 100, Double.NaN);
        return new ListDataSetIterator<>(batches, 1);
    }

    private List<ILoggingEvent> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    @Test
    void stopWithAPlainIteratorWarnsOnceNamingGuardAndTrainingGoesOn() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.STOP);
        net.addListeners(detector);

        net.fit(iteratorWithNanAtBatch2(), 2);

        assertThat(detector.stopRequested()).isTrue();
        assertThat(net.getIterationCount()).as("nothing could stop fit").isEqualTo(2 * BATCHES);
        assertThat(warnings()).hasSize(1);
        String message = warnings().get(0).getFormattedMessage();
        assertThat(message).doesNotContain("\n").contains("STOP", "iteration " + BAD_BATCH,
                "suite.guard(iterator)", "detector.guard(iterator)");
    }

    @Test
    void stopThroughADebugSuiteWithAPlainIteratorWarnsToo() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false).rules(false).build()
                .attachTo(net);

        net.fit(iteratorWithNanAtBatch2());

        assertThat(suite.nonFiniteDetector().stopRequested()).isTrue();
        assertThat(net.getIterationCount()).isEqualTo(BATCHES);
        assertThat(warnings()).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("suite.guard(iterator)");
    }

    @Test
    void stopWithAGuardedIteratorEndsFitWithoutWarning() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.STOP);
        net.addListeners(detector);

        net.fit(detector.guard(iteratorWithNanAtBatch2()), 2);

        assertThat(net.getIterationCount()).isEqualTo(BAD_BATCH + 1);
        assertThat(warnings()).isEmpty();
    }

    @Test
    void logAndThrowNeverAskForAGuard() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        NonFiniteDetector detector = NonFiniteDetector.withPolicy(NanPolicy.LOG);
        net.addListeners(detector);

        net.fit(iteratorWithNanAtBatch2());

        assertThat(detector.firstEvent()).isPresent();
        assertThat(warnings()).isEmpty();
    }
}
