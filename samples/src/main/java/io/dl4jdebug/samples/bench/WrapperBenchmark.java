package io.dl4jdebug.samples.bench;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.wrapper.LayerWrappers;
import io.dl4jdebug.wrapper.ProbeSession;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Measures what the layer wrappers cost per training iteration: the same network unwrapped, wrapped with a
 * non-finite check every iteration and full statistics every 10 iterations (the defaults), and wrapped with the
 * check and full statistics every iteration. All variants run in one JVM on the same Fashion-MNIST minibatches,
 * after a warm-up, one iteration of each in turn (rotating the order), so drifting machine load hits them alike;
 * the report gives each variant's median milliseconds per iteration and its ratio to the unwrapped network (the
 * median of the per-cycle ratios, and the ratio of the medians).
 *
 * <pre>{@code
 * java -cp ... io.dl4jdebug.samples.bench.WrapperBenchmark --model all --rounds 7 --iterations 20
 * }</pre>
 * Timings depend on the machine and its load; never assert them in tests.
 */
@Command(name = "wrapper-benchmark", mixinStandardHelpOptions = true,
        description = "Cost per iteration of dl4j-debug layer wrappers (MLP and residual CNN on Fashion-MNIST).")
public final class WrapperBenchmark implements Callable<Integer> {

    @Option(names = "--model", description = "mlp, cnn or all (default: ${DEFAULT-VALUE})", defaultValue = "all")
    String model;

    @Option(names = "--batch", description = "minibatch size (default: ${DEFAULT-VALUE})", defaultValue = "64")
    int batch;

    @Option(names = "--warmup", description = "warm-up iterations per variant (default: ${DEFAULT-VALUE})",
            defaultValue = "30")
    int warmup;

    @Option(names = "--rounds", description = "timed rounds (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int rounds;

    @Option(names = "--iterations", description = "timed iterations per variant per round (default: "
            + "${DEFAULT-VALUE})", defaultValue = "20")
    int iterations;

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new WrapperBenchmark()).execute(args));
    }

    @Override
    public Integer call() {
        if (batch < 1 || warmup < 0 || rounds < 1 || iterations < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "batch, rounds and iterations must be "
                    + ">= 1 and warmup >= 0 but were " + batch + ", " + rounds + ", " + iterations + ", " + warmup);
        }
        List<DataSet> batches = batches(8);
        System.out.printf(Locale.ROOT, "batch %d, warm-up %d, %d rounds x %d iterations, %d cores, backend %s%n",
                batch, warmup, rounds, iterations, Runtime.getRuntime().availableProcessors(),
                org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName());
        if (model.equals("mlp") || model.equals("all")) {
            run("Fashion-MNIST MLP 784-256-128-10", batches, () -> mlp());
        }
        if (model.equals("cnn") || model.equals("all")) {
            run("residual CNN (conv-BN-relu, 2x conv-BN block + add, 16 ch)", batches, () -> residualCnn());
        }
        return 0;
    }

    private List<DataSet> batches(int count) {
        DataSet all = FashionMnist.load(FashionMnist.Split.TRAIN, count * batch);
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new DataSet(
                    all.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i * batch, (i + 1) * batch))
                            .dup(),
                    all.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i * batch, (i + 1) * batch))
                            .dup()));
        }
        return list;
    }

    private void run(String title, List<DataSet> batches, Supplier<Model> factory) {
        try (ProbeSession defaults = session(Schedule.every(10));
             ProbeSession every = session(Schedule.everyIteration())) {
            Model plain = factory.get();
            Model checked = wrap(factory.get(), defaults);
            Model full = wrap(factory.get(), every);
            Model[] variants = {plain, checked, full};
            String[] names = {"unwrapped", "wrapped: check every it., stats every 10", "wrapped: check + stats every it."};
            for (Model m : variants) {
                fit(m, batches, warmup);
            }
            int samples = rounds * iterations;
            double[][] ms = new double[variants.length][samples];
            for (int i = 0; i < samples; i++) {
                DataSet d = batches.get(i % batches.size());
                for (int v = 0; v < variants.length; v++) {
                    // Interleave single iterations, rotating the order, so that drifting machine load hits every
                    // variant alike; ratios are then taken within each cycle.
                    int idx = (v + i) % variants.length;
                    long t0 = System.nanoTime();
                    fit(variants[idx], d);
                    ms[idx][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            System.out.println();
            System.out.println(title + " (" + LayerWrappers.wrappedLayers(full).size() + " layers wrapped, "
                    + samples + " interleaved iterations per variant)");
            for (int v = 0; v < variants.length; v++) {
                double[] ratios = new double[samples];
                for (int i = 0; i < samples; i++) {
                    ratios[i] = ms[v][i] / ms[0][i];
                }
                System.out.printf(Locale.ROOT, "  %-44s median %8.2f ms/it (p25 %.2f, p75 %.2f)  median ratio %.3f"
                                + "  ratio of medians %.3f%n", names[v], median(ms[v]), quantile(ms[v], 0.25),
                        quantile(ms[v], 0.75), median(ratios), median(ms[v]) / median(ms[0]));
            }
        }
    }

    private static ProbeSession session(Schedule stats) {
        return ProbeSession.builder().logging(false).config(LayerProbeConfig.builder().policy(NanPolicy.LOG)
                .checkSchedule(Schedule.everyIteration()).statsSchedule(stats).build()).build();
    }

    private static Model wrap(Model m, ProbeSession session) {
        Model wrapped = m instanceof MultiLayerNetwork ? LayerWrappers.wrap((MultiLayerNetwork) m, session.id())
                : LayerWrappers.wrap((ComputationGraph) m, session.id());
        session.attachTo(wrapped);
        return wrapped;
    }

    private static void fit(Model m, List<DataSet> batches, int n) {
        for (int i = 0; i < n; i++) {
            fit(m, batches.get(i % batches.size()));
        }
    }

    private static void fit(Model m, DataSet d) {
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).fit(d);
        } else {
            ((ComputationGraph) m).fit(d);
        }
    }

    private static double median(double[] values) {
        return quantile(values, 0.5);
    }

    private static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    private static MultiLayerNetwork mlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("h1").nIn(256).nOut(128).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ComputationGraph residualCnn() {
        int ch = 16;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).nOut(ch).activation(Activation.IDENTITY).build(),
                        "in")
                .addLayer("bn0", new BatchNormalization.Builder().build(), "c0")
                .addLayer("a0", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn0")
                .addLayer("p0", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "a0")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(ch).activation(Activation.IDENTITY).build(),
                        "p0")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("a1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(ch).activation(Activation.IDENTITY).build(),
                        "a1")
                .addLayer("bn2", new BatchNormalization.Builder().build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "p0", "bn2")
                .addLayer("a2", new ActivationLayer.Builder().activation(Activation.RELU).build(), "add")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "a2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
