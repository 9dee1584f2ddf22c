package io.dl4jdebug.ui.storage;

import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The self-describing record encoding: round trips, reading across record versions, refusals, size. */
class RecordCodecTest {

    /** A record as an older dl4j-debug had it. */
    public record V1(long a, String name) {
    }

    /** The same record after it gained components. */
    public record V2(long a, String name, double extra, List<String> tags, OptionalDouble maybe, Level level) {
    }

    /** Everything the codec supports, nested. */
    public record All(int i, long l, double d, float f, boolean b, String s, Level e, V1 nested, List<V1> list,
                      Map<String, Double> map, Optional<String> opt, OptionalLong optLong, OptionalDouble empty,
                      String nothing) {
    }

    /** A component type the codec refuses. */
    public record Unsupported(Instant when) {
    }

    private static byte[] write(Record r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RecordCodec.write(new DataOutputStream(bytes), r);
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Class<T> type) throws IOException {
        return RecordCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)), type);
    }

    @Test
    void everySupportedTypeRoundTrips() throws IOException {
        All all = new All(-3, Long.MIN_VALUE, Double.NaN, 1.5f, true, "ünï <b>", Level.CODE, new V1(7, "x"),
                List.of(new V1(1, "x"), new V1(2, "x")), Map.of("k", Double.NEGATIVE_INFINITY), Optional.of("o"),
                OptionalLong.of(9), OptionalDouble.empty(), null);
        assertThat(read(write(all), All.class)).isEqualTo(all);
    }

    @Test
    void readsAcrossRecordVersionsByComponentName() throws IOException {
        V2 newer = new V2(5, "layer", 2.5, List.of("t"), OptionalDouble.of(1), Level.NUMERICAL);
        assertThat(read(write(newer), V1.class)).isEqualTo(new V1(5, "layer"));
        assertThat(read(write(new V1(5, "layer")), V2.class))
                .isEqualTo(new V2(5, "layer", 0.0, List.of(), OptionalDouble.empty(), null));
    }

    @Test
    void refusesWhatItCannotEncodeOrDecode() throws IOException {
        assertThatThrownBy(() -> write(new Unsupported(Instant.EPOCH))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unsupported.when").hasMessageContaining("java.time.Instant");
        byte[] bytes = write(new V2(1, "n", 0, List.of(), OptionalDouble.empty(), Level.CODE));
        assertThatThrownBy(() -> read(bytes, String.class)).hasMessageContaining("not a record");
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(bytes, bytes.length - 2), V2.class))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aGradientSnapshotCostsAboutSixtyBytesPerParameter() throws IOException {
        List<ParameterStats> params = new ArrayList<>();
        for (int layer = 0; layer < 50; layer++) {
            params.add(new ParameterStats("layer_" + layer, "W", 1, 2, 3, 0, 0));
            params.add(new ParameterStats("layer_" + layer, "b", 1, 2, 3, 0, 0));
        }
        GradientSnapshot s = new GradientSnapshot(1000, 3, 64, params);
        byte[] bytes = write(s);
        System.out.printf("GradientSnapshot with %d parameters: %d bytes (%.1f per parameter)%n", params.size(),
                bytes.length, bytes.length / (double) params.size());
        assertThat(bytes.length).isLessThan(80 * params.size());
        assertThat(read(bytes, GradientSnapshot.class)).isEqualTo(s);
    }
}
