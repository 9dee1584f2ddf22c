package io.dl4jdebug.ui;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** {@link TrainingChild} in a second JVM on this test's classpath; its output lines are read with a bound. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Path stderr;

    ChildJvm(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2G",
                "-cp", System.getProperty("java.class.path"), TrainingChild.class.getName()));
        cmd.addAll(List.of(args));
        stderr = Path.of("target", "child-" + args[0] + ".stderr.txt");
        process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("READ FAILED " + e);
            }
        }, "child-jvm-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** @return the first output line matching, waiting at most {@code seconds} */
    String await(Predicate<String> matching, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("the child JVM printed no matching line within " + seconds + " s (alive: "
                        + process.isAlive() + "); lines: " + seen + "; stderr in " + stderr.toAbsolutePath());
            }
            seen.add(line);
            if (matching.test(line)) {
                return line;
            }
        }
    }

    /** Kills the child with SIGKILL (like kill -9) and waits for it to be gone. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child JVM did not die within 30 s of SIGKILL");
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the child JVM", e);
        }
    }

    static File tempFile(String name) {
        File f = Path.of("target", name + "-" + System.nanoTime() + ".dl4j").toFile();
        f.getParentFile().mkdirs();
        return f;
    }
}
