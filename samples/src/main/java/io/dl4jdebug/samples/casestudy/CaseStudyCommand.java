package io.dl4jdebug.samples.casestudy;

import io.dl4jdebug.cli.BackendGate;
import io.dl4jdebug.cli.cifar.NoCifarDataException;
import io.dl4jdebug.cli.ui.UiOptions;
import io.dl4jdebug.cli.ui.UiSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;

/** {@code ./dl4j-debug case-study}: the CIFAR-10 ResNet case study, buggy and fixed side by side. */
@Command(name = "case-study", mixinStandardHelpOptions = true,
        description = "The method's case study, automated: a CIFAR-10 ResNet whose loss stays at ln(10) because "
                + "every BatchNormalization was built with .gamma(0.0); checklist, monitors, minimal example, "
                + "bisection, diagnosis, and the fixed run.")
public final class CaseStudyCommand implements Callable<Integer> {

    @Option(names = "--bug", description = "Run only the buggy network.")
    private boolean bugOnly;

    @Option(names = "--fixed", description = "Run only the fixed network.")
    private boolean fixedOnly;

    @Option(names = "--epochs", description = "Epochs of each run (default: ${DEFAULT-VALUE})")
    private int epochs = 3;

    @Option(names = "--train-size", description = "Training images (default: ${DEFAULT-VALUE})")
    private int trainSize = 500;

    @Option(names = "--test-size", description = "Test images, used as validation set (default: ${DEFAULT-VALUE})")
    private int testSize = 200;

    @Option(names = "--batch", description = "Minibatch size (default: ${DEFAULT-VALUE})")
    private int batch = 25;

    @Option(names = "--data-dir", description = "CIFAR-10: the cifar-10-batches-bin directory (converted once) or a "
            + "directory in DL4J's layout (data/cifar10/train|test/<class>/*.png)")
    private Path dataDir;

    @Option(names = "--download", description = "Let DL4J download CIFAR-10 (about 170 MB) when the network answers")
    private boolean download;

    @Option(names = "--work-dir", description = "Where converted or generated images are kept (default: "
            + "${DEFAULT-VALUE})")
    private Path workDir = Paths.get(System.getProperty("user.home"), ".dl4j-debug", "cifar10");

    @Option(names = "--report", description = "Write the JSON report of the buggy run here (the fixed run's beside "
            + "it, with -fixed)")
    private Path report;

    @Option(names = "--seed", description = "Seed of weights, data order and generated images (default: "
            + "${DEFAULT-VALUE})")
    private long seed = 42;

    @Option(names = "--overfit-steps", description = "Training steps of each minimal-example and bisection trial at "
            + "most (default: ${DEFAULT-VALUE})")
    private int overfitSteps = 100;

    @Option(names = "--verify-iterations", description = "Training iterations of each copy of the network when the "
            + "diagnosis' fixes are tried on copies; 0 skips the trial (default: ${DEFAULT-VALUE})")
    private int verifyIterations = 20;

    @Mixin
    private UiOptions uiOptions = new UiOptions();

    @Override
    public Integer call() throws InterruptedException {
        if (bugOnly && fixedOnly) {
            System.err.println("--bug and --fixed exclude each other; give neither to run both");
            return 2;
        }
        CaseStudyConfig config;
        try {
            config = new CaseStudyConfig(trainSize, testSize, batch, epochs, new int[] {8, 16, 32}, 1, !fixedOnly,
                    !bugOnly, dataDir, workDir, download, report, seed, overfitSteps, verifyIterations);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (!BackendGate.check("case-study", System.err)) {
            return 1;
        }
        UiSession ui;
        try {
            ui = UiSession.start(uiOptions, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("case-study: " + e.getMessage());
            return 2;
        }
        try (ui) {
            try {
                new CaseStudy(config, System.out, ui).run();
            } catch (NoCifarDataException e) {
                System.err.println("case-study: --data-dir " + e.getMessage());
                return 2;
            }
            System.out.flush();
            ui.awaitAfterTraining();
        }
        return 0;
    }
}
