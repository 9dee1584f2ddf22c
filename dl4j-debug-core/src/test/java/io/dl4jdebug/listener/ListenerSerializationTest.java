package io.dl4jdebug.listener;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.publish.RecordingSink;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listeners survive Java serialization (as DL4J's Spark training ships them to workers) after they have seen a
 * network, and work again afterwards with sinks added anew.
 */
class ListenerSerializationTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void everyListenerRoundTripsAndMonitorsAgain() throws Exception {
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false).build();
        MultiLayerNetwork trained = TestNets.mlp(TestNets.spec());
        suite.attachTo(trained);
        trained.fit(FashionData.iterator(256, 64));

        for (TrainingListener listener : suite.listeners()) {
            DebugListener copy = (DebugListener) roundTrip(listener);
            assertThat(copy.getClass()).isEqualTo(listener.getClass());
            RecordingSink sink = new RecordingSink();
            copy.addSink(sink);
            MultiLayerNetwork other = TestNets.mlp(TestNets.spec());
            other.addListeners(copy);
            other.fit(FashionData.iterator(256, 64));
            assertThat(other.getIterationCount()).isEqualTo(4);
            // Four iterations, all inside the default schedule's dense start.
            if (copy instanceof GradientMonitor) {
                assertThat(sink.gradientSnapshots()).hasSize(4);
            }
            if (copy instanceof ActivationMonitor) {
                assertThat(sink.activationSnapshots()).hasSize(4);
            }
        }
    }
}
