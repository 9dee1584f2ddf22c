package io.dl4jdebug.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Test listener that travels to the executors: the first task (of any executor process) to reach an iteration claims
 * the kill, writes its executor's process ID into {@code <dir>/pid} and waits (at most a minute) for the test to kill
 * that process. Every later task, the repeated one included, finds the claim and trains on.
 */
final class ExecutorKiller implements TrainingListener, Serializable {

    private static final long serialVersionUID = 1L;
    private static final long WAIT_MS = 60_000;

    private final String dir;
    private final int atIteration;

    ExecutorKiller(String dir, int atIteration) {
        this.dir = dir;
        this.atIteration = atIteration;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (iteration < atIteration) {
            return;
        }
        Path claim = Path.of(dir, "claimed");
        try {
            Files.createFile(claim);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path tmp = Path.of(dir, "pid.tmp");
            Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
            Files.move(tmp, Path.of(dir, "pid"), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(WAIT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onEpochStart(Model model) {
    }

    @Override
    public void onEpochEnd(Model model) {
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
    }

    @Override
    public void onGradientCalculation(Model model) {
    }

    @Override
    public void onBackwardPass(Model model) {
    }
}
