package io.dl4jdebug.spark;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging the workers' findings: plain findings, no Spark. */
class WorkerMergeTest {

    private static Finding vanishing(String layer, long iteration, Severity severity, String worker) {
        return Finding.builder(Symptom.VANISHING_GRADIENT, severity, "gradient of " + layer + "/W vanishes")
                .layer(layer).parameter("W").firstIteration(iteration).evidence("gradientNorm", 1e-9).build()
                .withWorker(worker);
    }

    @Test
    void theSameFindingOnTwoWorkersIsOneFindingNamingBoth() {
        List<Finding> merged = WorkerMerge.merge(List.of(vanishing("dense1", 20, Severity.WARN, "jvm_1"),
                vanishing("dense1", 10, Severity.WARN, "jvm_0")));
        assertThat(merged).hasSize(1);
        Finding f = merged.get(0);
        assertThat(WorkerMerge.workers(f)).containsExactly("jvm_0", "jvm_1");
        assertThat(f.firstIteration()).isEqualTo(10);
        assertThat(f.message()).endsWith("(on 2 workers: jvm_0, jvm_1; first at iteration 10 on jvm_0)");
    }

    @Test
    void theWorstSeverityStandsForTheMergedFinding() {
        Finding merged = WorkerMerge.merge(List.of(vanishing("dense1", 10, Severity.WARN, "a"),
                vanishing("dense1", 30, Severity.ERROR, "b"))).get(0);
        assertThat(merged.severity()).isEqualTo(Severity.ERROR);
        assertThat(merged.firstIteration()).isEqualTo(10);
    }

    @Test
    void differentLocationsAndSingleWorkersStayAsTheyAre() {
        Finding one = vanishing("dense1", 10, Severity.WARN, "a");
        Finding other = vanishing("dense2", 10, Severity.WARN, "b");
        assertThat(WorkerMerge.merge(List.of(one, other))).containsExactly(one, other);
        assertThat(WorkerMerge.workers(one)).containsExactly("a");
    }

    @Test
    void aDriverFindingMergesWithoutAName() {
        Finding driver = vanishing("dense1", 5, Severity.WARN, "");
        Finding worker = vanishing("dense1", 10, Severity.WARN, "a");
        Finding merged = WorkerMerge.merge(List.of(worker, driver)).get(0);
        assertThat(WorkerMerge.workers(merged)).containsExactly("a");
        assertThat(merged.firstIteration()).isEqualTo(5);
    }
}
