package io.dl4jdebug.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation and defaults of {@link RuleConfig}. */
class RuleConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        RuleConfig c = RuleConfig.defaults();
        assertThat(c.underfitTrainLoss()).isEqualTo(0.5);
        assertThat(c.underfitMinEpochs()).isEqualTo(50);
        assertThat(c.overfitGap()).isEqualTo(0.2);
        assertThat(c.convergedGap()).isEqualTo(0.05);
        assertThat(c.convergedTrainLoss()).isEqualTo(0.1);
        assertThat(c.ratioTooHigh()).isEqualTo(0.1);
        assertThat(c.ratioTooLow()).isEqualTo(1e-5);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void badValuesNameFieldValueAndValidRange() {
        assertThatThrownBy(() -> RuleConfig.builder().lossWindow(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lossWindow must be >= 1 but was 0");
        assertThatThrownBy(() -> RuleConfig.builder().overfitGap(-0.2).build())
                .hasMessage("overfitGap must be a finite number > 0 but was -0.2");
        assertThatThrownBy(() -> RuleConfig.builder().ratioTooLow(0.5).build())
                .hasMessage("ratioTooLow must be < ratioTooHigh (0.1) but was 0.5");
        assertThatThrownBy(() -> RuleConfig.builder().collapseTolerance(1.5).build())
                .hasMessage("collapseTolerance must be in (0, 1) but was 1.5");
        assertThatThrownBy(() -> RuleConfig.builder().oscillationSwings(6).build())
                .hasMessageContaining("oscillationSwings must be <= (oscillationBlocks - 1) / 2 = 5 but was 6");
        assertThatThrownBy(() -> RuleConfig.builder().ratioIgnoredKeys(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ratioIgnoredKeys");
    }
}
