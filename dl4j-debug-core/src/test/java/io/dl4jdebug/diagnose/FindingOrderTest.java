package io.dl4jdebug.diagnose;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FindingOrderTest {

    private static Finding f(Symptom s, Severity severity, long iteration) {
        return Finding.builder(s, severity, s.name()).firstIteration(iteration).build();
    }

    @Test
    void levelThenSeverityThenRootCauseThenIteration() {
        Finding vanishing = f(Symptom.VANISHING_GRADIENT, Severity.WARN, 0);
        Finding dead = f(Symptom.DEAD_UNITS, Severity.WARN, 10);
        Finding nan = f(Symptom.NON_FINITE, Severity.ERROR, 50);
        Finding leak = f(Symptom.DATA_LEAKAGE, Severity.WARN, 0);
        Finding lr = f(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, 0);
        Finding plateau = f(Symptom.LOSS_NOT_DECREASING, Severity.WARN, 0);
        Finding laterDead = f(Symptom.DEAD_UNITS, Severity.WARN, 20);

        List<Finding> sorted = FindingOrder.mostImportantFirst(List.of(plateau, vanishing, laterDead, lr, dead, nan,
                leak));

        assertThat(sorted).containsExactly(leak, nan, dead, laterDead, vanishing, lr, plateau);
    }
}
