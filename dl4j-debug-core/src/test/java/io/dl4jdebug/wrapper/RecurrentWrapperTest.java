package io.dl4jdebug.wrapper;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.data.SumTask;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.testing.RnnNets;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layer wrappers on recurrent layers: the wrapped LSTM is a {@link RecurrentLayer}, so truncated BPTT and
 * {@code rnnTimeStep} take DL4J's recurrent paths and train bit-identically to the unwrapped network, while its
 * forward and backward passes are probed; a NaN made inside the LSTM is named by the wrapper and by the
 * listener-only detector.
 */
class RecurrentWrapperTest {

    private final RecordingSink recording = new RecordingSink(10_000);
    private ProbeSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
    }

    private MultiLayerNetwork wrapped(MultiLayerNetwork net) {
        session = ProbeSession.builder().logging(false).sink(recording)
                .config(LayerProbeConfig.builder().policy(NanPolicy.LOG).statsSchedule(Schedule.everyIteration())
                        .build()).build();
        MultiLayerNetwork w = LayerWrappers.wrap(net, session.id());
        session.attachTo(w);
        return w;
    }

    @Test
    void wrappedLstmTrainsBitIdenticallyUnderTruncatedBpttAndIsProbedBothWays() {
        MultiLayerNetwork twin = RnnNets.sum(1, 8, new Adam(1e-2), 5);
        MultiLayerNetwork w = wrapped(RnnNets.sum(1, 8, new Adam(1e-2), 5));
        assertThat(w.getLayer(0)).isInstanceOf(RecurrentLayer.class).isInstanceOf(ProbedRecurrentLayerImpl.class);
        assertThat(LayerWrappers.wrappedLayers(w)).containsExactly("lstm");

        w.fit(RnnNets.sumIterator(64, 4, 20, 32), 1);
        twin.fit(RnnNets.sumIterator(64, 4, 20, 32), 1);

        assertThat(w.params()).isEqualTo(twin.params());
        assertThat(recording.layerProbeSnapshots()).anyMatch(s -> s.forward().stream()
                .anyMatch(a -> a.layer().equals("lstm")));
        assertThat(recording.layerProbeSnapshots()).anyMatch(s -> s.backward().stream()
                .anyMatch(b -> b.layer().equals("lstm") && b.outputGradientNorm() > 0));
        assertThat(session.failures().failures()).isEmpty();

        INDArray step = Nd4j.rand(DataType.FLOAT, 3, 1);
        assertThat(w.rnnTimeStep(step)).isEqualTo(twin.rnnTimeStep(step));
        assertThat(w.rnnTimeStep(step)).isEqualTo(twin.rnnTimeStep(step));
        assertThat(w.rnnGetPreviousState(0).keySet()).isEqualTo(twin.rnnGetPreviousState(0).keySet());
    }

    @Test
    void aNanMadeInsideTheLstmIsNamedByTheWrapperAndByTheListenerOnlyDetector() {
        DataSet good = SumTask.perStep(32, 4, 20, 1);
        DataSet next = SumTask.perStep(32, 4, 20, 2);

        MultiLayerNetwork w = wrapped(RnnNets.sum(1, 8, new Adam(1e-2), 0));
        w.fit(good);
        assertThat(recording.nonFiniteEvents()).isEmpty();
        w.getLayer(0).getParam("RW").putScalar(0, Double.NaN);
        w.fit(next);
        NonFiniteEvent fromWrapper = session.firstNonFinite().orElseThrow();
        assertThat(fromWrapper.layer()).isEqualTo("lstm");
        assertThat(fromWrapper.kind()).isEqualTo(NonFiniteEvent.Kind.ACTIVATION);

        MultiLayerNetwork plain = RnnNets.sum(1, 8, new Adam(1e-2), 0);
        DebugSuite suite = DebugSuite.builder().logging(false).build().attachTo(plain);
        plain.fit(good);
        plain.getLayer(0).getParam("RW").putScalar(0, Double.NaN);
        plain.fit(next);
        NonFiniteEvent fromListener = suite.firstNonFinite().orElseThrow();
        assertThat(fromListener.layer()).isEqualTo("lstm");
        assertThat(fromListener.kind()).isIn(NonFiniteEvent.Kind.ACTIVATION, NonFiniteEvent.Kind.PARAMETER);
    }
}
