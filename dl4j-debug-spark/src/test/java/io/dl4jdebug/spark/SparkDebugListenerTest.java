package io.dl4jdebug.spark;

import io.dl4jdebug.config.NanPolicy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listener travels to executors by Java serialization; options refuse what cannot work on Spark. */
class SparkDebugListenerTest {

    @Test
    void theListenerSurvivesJavaSerializationWithItsSessionAndConfiguration() throws Exception {
        SparkDebugListener listener = new SparkDebugListener("session-1", SparkDebugOptions.builder()
                .nanPolicy(NanPolicy.THROW).workerWindow(7).build().spec());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(listener);
        }
        SparkDebugListener copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SparkDebugListener) in.readObject();
        }
        assertThat(copy.getSessionID()).isEqualTo("session-1");
        assertThat(copy.spec()).isEqualTo(listener.spec());
        assertThat(copy.spec().workerWindow()).isEqualTo(7);
        assertThat(copy.clone().getSessionID()).isEqualTo("session-1");
    }

    @Test
    void optionsRefuseStopAndEmptyWindows() {
        assertThatThrownBy(() -> SparkDebugOptions.builder().nanPolicy(NanPolicy.STOP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid: LOG or THROW");
        assertThatThrownBy(() -> SparkDebugOptions.builder().workerWindow(0))
                .hasMessage("workerWindow must be >= 1 but was 0");
        assertThatThrownBy(() -> SparkDebugOptions.builder().sessionId(" "))
                .hasMessageContaining("sessionId must be a non-blank string");
    }
}
