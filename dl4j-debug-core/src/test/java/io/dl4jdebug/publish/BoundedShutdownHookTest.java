package io.dl4jdebug.publish;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A terminated JVM whose hook waits on a lock the "training" thread holds forever still exits: the hook gives up
 * after its limit. The JVM is a child process ({@link Child}) sent SIGTERM.
 */
class BoundedShutdownHookTest {

    @Test
    void aHookWaitingOnTheTrainingThreadsLockDoesNotKeepTheJvmAlive(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("child.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Child.class.getName()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && child.isAlive() && !Files.readString(out).contains("training")) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(out)).as("the child started training").contains("training");
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(Files.readString(out)).contains("child-hook did not finish within 500 ms at shutdown")
                    .doesNotContain("hook got the lock");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> BoundedShutdownHook.register("x", Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be > 0 but was PT0S");
    }

    /** The child JVM: its training thread holds a lock for ever; its hook wants the same lock. */
    public static final class Child {
        private static final Object LOCK = new Object();

        private Child() {
        }

        /**
         * @param args none
         * @throws InterruptedException never in practice
         */
        public static void main(String[] args) throws InterruptedException {
            BoundedShutdownHook.register("child-hook", Duration.ofMillis(500), () -> {
                synchronized (LOCK) {
                    System.out.println("hook got the lock");
                }
            });
            synchronized (LOCK) {
                System.out.println("training");
                System.out.flush();
                Thread.sleep(600_000L);
            }
        }
    }
}
