package io.dl4jdebug.samples.bench;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.listener.ActivationMonitor;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.listener.GradientMonitor;
import io.dl4jdebug.listener.NonFiniteDetector;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Measures what the monitors cost on a Fashion-MNIST MLP: a bare fit against the whole suite at its default
 * configuration and each listener alone, alternating in one process.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Overhead of the dl4j-debug listeners on a Fashion-MNIST MLP (784-256-128-10, Adam): "
                + "alternating runs in one process, medians and ratios to a bare fit.")
public final class MonitorOverheadCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Directory of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    private Path dataDir = FashionMnist.defaultDirectory();

    @Option(names = "--rounds", description = "Timed rounds (default: ${DEFAULT-VALUE})")
    private int rounds = 15;

    @Option(names = "--warmup", description = "Untimed warm-up rounds (default: ${DEFAULT-VALUE})")
    private int warmup = 3;

    @Option(names = "--iterations", description = "Iterations per timed run (default: ${DEFAULT-VALUE})")
    private int iterations = 40;

    @Option(names = "--batch", description = "Minibatch size (default: ${DEFAULT-VALUE})")
    private int batch = 64;

    @Override
    public Integer call() {
        DataSet data = FashionMnist.load(dataDir, FashionMnist.Split.TRAIN, batch * 16, true);
        AlternatingBenchmark bench = new AlternatingBenchmark(MonitorOverheadCommand::mlp, data.batchBy(batch),
                iterations);
        List<Variant> variants = List.of(
                new Variant("bare fit", List::of),
                new Variant("suite (default config)", () -> DebugSuite.builder().nanPolicy(NanPolicy.LOG)
                        .logging(false).build().listeners()),
                new Variant("NonFiniteDetector (every iteration)",
                        () -> List.of(NonFiniteDetector.withPolicy(NanPolicy.LOG))),
                new Variant("GradientMonitor (every 10)", () -> List.of(GradientMonitor.withDefaults())),
                new Variant("ActivationMonitor (every 10)", () -> List.of(ActivationMonitor.withDefaults())));
        System.out.printf("Fashion-MNIST MLP 784-256-128-10, batch %d, %d iterations per run, %d warm-up + %d "
                + "timed rounds, alternating; %d CPU cores, %s%n", batch, iterations, warmup, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"));
        System.out.printf("%-38s %14s %12s %20s%n", "variant", "ms/iteration", "ratio", "ratio range");
        for (AlternatingBenchmark.Result r : bench.run(variants, warmup, rounds)) {
            System.out.printf("%-38s %14.3f %11.3fx %9.3f .. %6.3f%n", r.name(), r.medianMsPerIteration(),
                    r.medianRatio(), r.minRatio(), r.maxRatio());
        }
        return 0;
    }

    private static MultiLayerNetwork mlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(FashionMnist.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FashionMnist.PIXELS)).build());
        net.init();
        return net;
    }
}
