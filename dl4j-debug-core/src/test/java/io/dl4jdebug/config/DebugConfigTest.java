package io.dl4jdebug.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defaults and validation of {@link DebugConfig}. */
class DebugConfigTest {

    @Test
    void defaultsAreTheArticlesTemplate() {
        DebugConfig c = DebugConfig.defaults();
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.deterministic()).isTrue();
        assertThat(c.debugMode()).isTrue();
        assertThat(c.checkGradients()).isTrue();
        assertThat(c.logFrequency()).isEqualTo(10);
        assertThat(c.gradientClip()).isEqualTo(1.0);
        assertThat(c.detectAnomaly()).isTrue();
        assertThat(c.profile()).isFalse();
        assertThat(c.benchmark()).isFalse();
        assertThat(c.nanPolicy()).isEqualTo(NanPolicy.LOG);
        assertThat(c.report()).isEmpty();
        assertThat(c.denseIterations()).isEqualTo(20);
        assertThat(c.schedule()).isEqualTo(Schedule.defaults()).isEqualTo(Schedule.denseThenEvery(20, 10));
        assertThat(DebugConfig.builder().denseIterations(0).logFrequency(5).build().schedule())
                .isEqualTo(Schedule.every(5));
        assertThat(DebugConfig.builder().reportFile(Path.of("r.json")).build().report()).contains(Path.of("r.json"));
    }

    @Test
    void badValuesAreRefusedNamingFieldValueAndValidRange() {
        assertThatThrownBy(() -> DebugConfig.builder().logFrequency(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("logFrequency must be >= 1 but was 0");
        assertThatThrownBy(() -> DebugConfig.builder().denseIterations(-1).build())
                .hasMessage("denseIterations must be >= 0 (0: no dense start) but was -1");
        assertThatThrownBy(() -> DebugConfig.builder().gradientClip(-1).build())
                .hasMessage("gradientClip must be a finite number >= 0 (0 = no clipping) but was -1.0");
        assertThatThrownBy(() -> DebugConfig.builder().gradientClip(Double.NaN).build())
                .hasMessageStartingWith("gradientClip must be a finite number >= 0");
        assertThatThrownBy(() -> DebugConfig.builder().benchmark(true).build())
                .hasMessageStartingWith("benchmark must be false when deterministic is true");
        assertThat(DebugConfig.builder().benchmark(true).deterministic(false).build().benchmark()).isTrue();
        assertThatThrownBy(() -> DebugConfig.builder().nanPolicy(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("valid: THROW, STOP, LOG");
    }
}
