package io.dl4jdebug.config;

import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.wrapper.ProbeSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every entry point defaults to NaN policy LOG: a monitoring library changes training only when asked to (the CLI
 * commands ask for STOP explicitly).
 */
class NanPolicyDefaultsTest {

    @Test
    void everyEntryPointDefaultsToLog() {
        assertThat(DebugConfig.defaults().nanPolicy()).as("DebugConfig").isEqualTo(NanPolicy.LOG);
        assertThat(NonFiniteConfig.defaults().policy()).as("NonFiniteConfig").isEqualTo(NanPolicy.LOG);
        assertThat(LayerProbeConfig.defaults().policy()).as("LayerProbeConfig").isEqualTo(NanPolicy.LOG);
        assertThat(DebugSuite.builder().logging(false).build().nonFiniteDetector().config().policy())
                .as("DebugSuite").isEqualTo(NanPolicy.LOG);
        try (ProbeSession session = ProbeSession.builder().logging(false).build()) {
            assertThat(session.config().policy()).as("ProbeSession").isEqualTo(NanPolicy.LOG);
        }
    }
}
