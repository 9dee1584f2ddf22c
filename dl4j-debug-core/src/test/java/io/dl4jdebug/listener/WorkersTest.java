package io.dl4jdebug.listener;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Naming the worker of a callback explicitly (DL4J's Spark training) over the thread name (ParallelWrapper). */
class WorkersTest {

    @Test
    void runAsNamesTheWorkerInsideTheBodyAndRestoresItAfterwards() {
        List<String> seen = new ArrayList<>();
        assertThat(Workers.current()).isEqualTo(Workers.NONE);
        Workers.runAs("jvm_0", () -> {
            seen.add(Workers.current());
            Workers.runAs("jvm_1", () -> seen.add(Workers.current()));
            seen.add(Workers.current());
        });
        assertThat(seen).containsExactly("jvm_0", "jvm_1", "jvm_0");
        assertThat(Workers.current()).isEqualTo(Workers.NONE);
    }

    @Test
    void theWorkerIsRestoredWhenTheBodyThrows() {
        assertThatThrownBy(() -> Workers.runAs("jvm_0", () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(Workers.current()).isEqualTo(Workers.NONE);
    }

    @Test
    void anExplicitWorkerWinsOverParallelWrappersThreadName() throws InterruptedException {
        List<String> seen = new ArrayList<>();
        Thread t = new Thread(() -> {
            seen.add(Workers.current());
            Workers.runAs("jvm_3", () -> seen.add(Workers.current()));
        }, Workers.THREAD_PREFIX + "2");
        t.start();
        t.join();
        assertThat(seen).containsExactly("worker-2", "jvm_3");
    }

    @Test
    void aBlankWorkerIsRefused() {
        assertThatThrownBy(() -> Workers.runAs(" ", () -> { }))
                .hasMessage("worker must be a non-blank ID but was ' '");
    }
}
