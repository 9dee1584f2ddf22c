package io.dl4jdebug.samples.demo;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.MissingDataException;
import io.dl4jdebug.cli.BackendGate;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.publish.LoggingSink;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Trains a Fashion-MNIST MLP twice with the whole monitoring suite attached: once healthy, once with a learning rate
 * far too high, and prints what the monitors measured and found.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a Fashion-MNIST MLP with dl4j-debug attached: a healthy run, then one whose learning "
                + "rate is far too high (NaN detection).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Directory of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    private Path dataDir = FashionMnist.defaultDirectory();

    @Option(names = "--examples", description = "Training examples to use (default: ${DEFAULT-VALUE})")
    private int examples = 4096;

    @Option(names = "--epochs", description = "Epochs of the healthy run (default: ${DEFAULT-VALUE})")
    private int epochs = 2;

    @Option(names = "--batch", description = "Minibatch size (default: ${DEFAULT-VALUE})")
    private int batch = 64;

    @Override
    public Integer call() {
        if (examples < batch || batch < 1 || epochs < 1) {
            System.err.println("need --examples >= --batch >= 1 and --epochs >= 1, got examples=" + examples
                    + ", batch=" + batch + ", epochs=" + epochs);
            return 2;
        }
        if (!BackendGate.check("demo", System.err)) {
            return 1;
        }
        PrintStream out = System.out;
        DataSet data;
        try {
            data = FashionMnist.load(dataDir, FashionMnist.Split.TRAIN, examples, true);
        } catch (MissingDataException e) {
            System.err.println("demo: " + e.getMessage());
            return 2;
        }
        out.printf("Fashion-MNIST: %d training examples from %s%n%n", data.numExamples(), dataDir);

        out.println("== 1. Healthy run: ReLU MLP, Adam(1e-3), monitors every 10 iterations, NaN check every iteration");
        DebugSuite healthy = run(data, new Adam(1e-3), epochs, out);
        printGradients(healthy, out);
        printActivations(healthy, out);
        printFindings(healthy, out);

        out.println();
        out.println("== 2. Broken run: the same MLP with Sgd(1e4), a learning rate far too high (policy STOP)");
        DebugSuite broken = run(data, new Sgd(1e4), 1, out);
        broken.firstNonFinite().ifPresentOrElse(e -> out.println("   " + e.describe()),
                () -> out.println("   no non-finite value appeared"));
        printFindings(broken, out);
        return 0;
    }

    private DebugSuite run(DataSet data, IUpdater updater, int epochCount, PrintStream out) {
        MultiLayerNetwork net = mlp(updater);
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false).build().attachTo(net);
        DataSetIterator it = new ListDataSetIterator<>(data.batchBy(batch), 1);
        long start = System.nanoTime();
        net.fit(suite.guard(it), epochCount);
        out.printf("   trained %d iterations in %.1f s, last minibatch loss %.4f%n", net.getIterationCount(),
                (System.nanoTime() - start) / 1e9, net.score());
        return suite;
    }

    private static MultiLayerNetwork mlp(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42).updater(updater)
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("dense1").nIn(FashionMnist.PIXELS).nOut(128)
                        .activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense2").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output")
                        .nOut(FashionMnist.CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(FashionMnist.PIXELS))
                .build());
        net.init();
        return net;
    }

    private static void printGradients(DebugSuite suite, PrintStream out) {
        var snapshots = suite.recording().gradientSnapshots();
        if (snapshots.isEmpty()) {
            return;
        }
        GradientSnapshot last = snapshots.get(snapshots.size() - 1);
        out.printf("   gradients at iteration %d (per-example L2 norm, update:param ratio):%n", last.iteration());
        for (ParameterStats p : last.parameters()) {
            out.printf("     %-10s grad %9.3e  update/param %9.3e%n", p.displayName(), p.gradientNorm(),
                    p.updateRatio().orElse(0));
        }
    }

    private static void printActivations(DebugSuite suite, PrintStream out) {
        var snapshots = suite.recording().activationSnapshots();
        if (snapshots.isEmpty()) {
            return;
        }
        var last = snapshots.get(snapshots.size() - 1);
        out.printf("   activations at iteration %d:%n", last.iteration());
        for (ActivationStats a : last.layers()) {
            out.printf("     %-10s mean %7.3f  std %7.3f  zeros %5.1f%%  dead units %d/%d%n", a.layer(), a.mean(),
                    a.std(), 100 * a.zeroFraction(), a.deadUnits(), a.units());
        }
    }

    private static void printFindings(DebugSuite suite, PrintStream out) {
        if (suite.findings().isEmpty()) {
            out.println("   findings: none");
            return;
        }
        out.println("   findings:");
        for (Finding f : suite.findings()) {
            out.println("     " + f.severity() + " " + LoggingSink.format(f));
        }
    }
}
