package io.dl4jdebug.ui.storage;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Record payloads through Jackson's CBOR, and the one-line refusal of a file of another format version. */
class PayloadFormatTest {

    record Inner(String name, double value) {
    }

    record Everything(int i, long l, double d, float f, boolean b, String s, Severity e, Inner inner,
                      List<String> list, Map<String, Double> map, Optional<String> opt, OptionalDouble od,
                      OptionalLong ol, OptionalInt oi) {
    }

    record Wider(String name, double value, String added) {
    }

    @Test
    void everyComponentTypeRoundTrips() throws IOException {
        Everything e = new Everything(1, 2L, 3.5, 4.5f, true, "s", Severity.WARN, new Inner("in", 0.25),
                List.of("a", "b"), Map.of("k", 1.0), Optional.of("o"), OptionalDouble.of(0.5), OptionalLong.empty(),
                OptionalInt.of(7));
        assertThat(PayloadFormat.read(PayloadFormat.write(e), Everything.class)).isEqualTo(e);
        Finding f = Finding.builder(Symptom.DEAD_UNITS, Severity.ERROR, "dead").layer("h").firstIteration(3)
                .evidence("deadFraction", 0.9).suggest("leaky").build();
        assertThat(PayloadFormat.read(PayloadFormat.write(f), Finding.class)).isEqualTo(f);
    }

    @Test
    void aComponentTheReaderDoesNotKnowIsSkipped() throws IOException {
        assertThat(PayloadFormat.read(PayloadFormat.write(new Wider("w", 1.5, "new")), Inner.class))
                .isEqualTo(new Inner("w", 1.5));
    }

    @Test
    void aRecordOfTheOldFormatFailsWithOneLineNamingItsVersion() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x44344442);
        out.writeByte(1);
        out.writeByte(0);
        DebugRecord r = new DebugRecord();
        assertThatThrownBy(() -> r.decode(new ByteArrayInputStream(bytes.toByteArray())))
                .isInstanceOf(IOException.class).hasMessageContaining("format version 1")
                .hasMessageContaining("reads version " + DebugRecord.FORMAT_VERSION)
                .satisfies(x -> assertThat(x.getMessage()).doesNotContain("\n"));
    }
}
