package io.dl4jdebug.samples.casestudy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Size and inputs of a case-study run.
 *
 * @param trainSize      training examples
 * @param testSize       test (validation) examples
 * @param batch          minibatch size
 * @param epochs         epochs of each training run
 * @param widths         channels of the ResNet's stages
 * @param blocksPerStage residual blocks per stage
 * @param runBuggy       whether to run the buggy network
 * @param runFixed       whether to run the fixed network
 * @param dataDir        a CIFAR-10 directory the user named, or null
 * @param workDir        where converted or generated images are kept
 * @param allowDownload  whether DL4J may download CIFAR-10
 * @param report         JSON report of the buggy run (the fixed run's goes beside it, "-fixed"), or null
 * @param seed           seed of weights, data order and generated images
 * @param overfitSteps   training steps of each minimal-example and bisection trial at most
 * @param verifyIterations training iterations of each copy when the diagnosis' fixes are tried (0: not tried)
 */
public record CaseStudyConfig(int trainSize, int testSize, int batch, int epochs, int[] widths, int blocksPerStage,
                              boolean runBuggy, boolean runFixed, Path dataDir, Path workDir, boolean allowDownload,
                              Path report, long seed, int overfitSteps, int verifyIterations) {

    /** Validates the fields; messages name the option, the value and what is valid. */
    public CaseStudyConfig {
        if (trainSize < 10) {
            throw new IllegalArgumentException("--train-size must be >= 10 but was " + trainSize);
        }
        if (testSize < 10) {
            throw new IllegalArgumentException("--test-size must be >= 10 but was " + testSize);
        }
        if (batch < 1 || batch > trainSize) {
            throw new IllegalArgumentException("--batch must be in [1, --train-size=" + trainSize + "] but was "
                    + batch);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1 but was " + epochs);
        }
        if (widths.length == 0 || blocksPerStage < 1) {
            throw new IllegalArgumentException("need at least one stage and one block per stage");
        }
        if (!runBuggy && !runFixed) {
            throw new IllegalArgumentException("nothing to run: choose --bug, --fixed or neither (both)");
        }
        if (overfitSteps < 10) {
            throw new IllegalArgumentException("--overfit-steps must be >= 10 but was " + overfitSteps);
        }
        if (verifyIterations < 0) {
            throw new IllegalArgumentException("--verify-iterations must be >= 0 (0: do not verify) but was "
                    + verifyIterations);
        }
        Objects.requireNonNull(workDir, "workDir");
        widths = widths.clone();
    }
}
