package io.dl4jdebug.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid configuration is refused with a message naming the field, the value and what is valid. */
class ConfigValidationTest {

    @Test
    void scheduleMustBePositive() {
        assertThatThrownBy(() -> Schedule.every(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schedule period 'every' must be >= 1 but was 0");
        assertThat(Schedule.every(10).isDue(0)).isTrue();
        assertThat(Schedule.every(10).isDue(5)).isFalse();
        assertThat(Schedule.every(10).isDue(20)).isTrue();
    }

    @Test
    void gradientThresholdsAreValidated() {
        assertThatThrownBy(() -> GradientMonitorConfig.builder().vanishingThreshold(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vanishingThreshold must be a finite number > 0 but was -1.0");
        assertThatThrownBy(() -> GradientMonitorConfig.builder().vanishingThreshold(1).explodingThreshold(0.5)
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("explodingThreshold must be finite and > vanishingThreshold (1.0) but was 0.5");
        assertThatThrownBy(() -> GradientMonitorConfig.builder().explodingThreshold(Double.NaN).build())
                .hasMessageContaining("explodingThreshold").hasMessageContaining("NaN");
        assertThatThrownBy(() -> GradientMonitorConfig.builder().patience(0).build())
                .hasMessage("patience must be >= 1 but was 0");
        assertThatThrownBy(() -> GradientMonitorConfig.builder().schedule(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("schedule must not be null");
    }

    @Test
    void gradientDefaultsAreTheMethodsValues() {
        GradientMonitorConfig c = GradientMonitorConfig.defaults();
        assertThat(c.vanishingThreshold()).isEqualTo(1e-6);
        assertThat(c.explodingThreshold()).isEqualTo(100);
        assertThat(c.schedule()).isEqualTo(Schedule.defaults());
    }

    @Test
    void activationThresholdsAreShares() {
        assertThatThrownBy(() -> ActivationMonitorConfig.builder().deadUnitThreshold(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadUnitThreshold must be in (0, 1] but was 1.5");
        assertThatThrownBy(() -> ActivationMonitorConfig.builder().saturatedUnitThreshold(0).build())
                .hasMessage("saturatedUnitThreshold must be in (0, 1] but was 0.0");
    }

    @Test
    void nanPolicyIsRequired() {
        assertThatThrownBy(() -> NonFiniteConfig.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("valid: THROW, STOP, LOG");
        assertThat(NonFiniteConfig.defaults().policy()).isEqualTo(NanPolicy.LOG);
        assertThat(NonFiniteConfig.defaults().schedule()).isEqualTo(Schedule.everyIteration());
    }
}
