package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Finding}'s location text and evidence maps. */
class FindingTest {

    @Test
    void locationNamesLayerAndParameterWhenPresent() {
        assertThat(Finding.builder(Symptom.VANISHING_GRADIENT, Severity.WARN, "m").layer("h0").parameter("W").build()
                .location()).contains("h0/W");
        assertThat(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "m").layer("h0").build().location())
                .contains("h0");
        assertThat(Finding.builder(Symptom.LOSS_DIVERGING, Severity.ERROR, "m").build().location()).isEmpty();
    }

    @Test
    void evidenceMapKeepsItsOrderAfterSingleValues() {
        Finding f = Finding.builder(Symptom.DATA_UNNORMALIZED, Severity.WARN, "m").evidence("first", 1)
                .evidence(Map.of("second", 2.0)).build();
        assertThat(f.evidence()).containsExactly(Map.entry("first", 1.0), Map.entry("second", 2.0));
    }
}
