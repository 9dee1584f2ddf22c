package io.dl4jdebug.samples.bench;

import io.dl4jdebug.config.LayerProbeConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.listener.ActivationMonitor;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.listener.GradientMonitor;
import io.dl4jdebug.listener.LossMonitor;
import io.dl4jdebug.listener.NonFiniteDetector;
import io.dl4jdebug.wrapper.LayerWrappers;
import io.dl4jdebug.wrapper.ProbeSession;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * {@code ./dl4j-debug bench}: what monitoring costs. On the case-study CIFAR ResNet and the Fashion-MNIST MLP it times,
 * in one process and alternating after warm-up, a bare fit, DL4J's {@code StatsListener} (frequency 10 and 1), the
 * dl4j-debug suite at its default configuration, each dl4j-debug listener alone and the layer wrappers on every
 * layer; prints medians, iterations per second and ratios to the bare fit with the targets, and the memory of each
 * variant. {@code --profile} adds the time spent in each listener callback; {@code --soak N} instead checks that a
 * long run does not grow the heap.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Overhead of monitoring: bare fit vs DL4J StatsListener vs dl4j-debug (suite, each listener, "
                + "layer wrappers) on the case-study CIFAR ResNet and the Fashion-MNIST MLP. Alternating runs in "
                + "one process after warm-up; medians, iterations/s, ratios to the bare fit, heap and off-heap "
                + "memory per variant.",
                "Timings depend on the machine and its load: compare ratios from one run, not milliseconds across "
                        + "machines."})
public final class MonitorOverheadCommand implements Callable<Integer> {

    /** Variant keys, in the order they run and print. */
    static final List<String> VARIANT_KEYS = List.of("bare", "noise", "empty", "stats10", "stats1", "suite", "nan",
            "grad", "act", "loss", "wrappers");

    @Option(names = "--workload", description = "resnet, mlp, lstm or all (all = resnet and mlp; default: "
            + "${DEFAULT-VALUE})")
    private String workload = "all";

    @Option(names = "--rounds", description = "Timed rounds per workload (default: ${DEFAULT-VALUE})")
    private int rounds = 10;

    @Option(names = "--warmup", description = "Untimed warm-up rounds (default: ${DEFAULT-VALUE})")
    private int warmup = 2;

    @Option(names = "--iterations", description = "Iterations per timed run; a multiple of 10 so that every run "
            + "holds the same number of every-10 steps (default: ${DEFAULT-VALUE})")
    private int iterations = 10;

    @Option(names = "--memory-iterations", description = "Iterations of each variant's memory run on a fresh "
            + "network; 0 skips memory (default: ${DEFAULT-VALUE})")
    private int memoryIterations = 20;

    @Option(names = "--variants", split = ",", description = "Variants to run, comma-separated, from "
            + "bare,noise,empty,stats10,stats1,suite,nan,grad,act,loss,wrappers; bare always runs; noise is a second "
            + "bare fit, whose ratio to the first is the day's noise floor; empty is a listener that does nothing, "
            + "what DL4J's listener calls cost by themselves (default: all)")
    private List<String> variantKeys = VARIANT_KEYS;

    @Option(names = "--mlp-batch", description = "MLP minibatch size (default: ${DEFAULT-VALUE})")
    private int mlpBatch = 64;

    @Option(names = "--resnet-batch", description = "ResNet minibatch size (default: ${DEFAULT-VALUE})")
    private int resnetBatch = 32;

    @Option(names = "--data-dir", description = "Directory of the Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    private Path dataDir = FashionMnist.defaultDirectory();

    @Option(names = "--profile", description = "After the timing, run each listener variant once more with every "
            + "callback timed (System.nanoTime around each call) and print ms per iteration per callback")
    private boolean profile;

    @Option(names = "--soak", paramLabel = "N", description = "Instead of the benchmark: train a tiny MLP for N "
            + "iterations (e.g. 10000) bare and with the whole suite plus the layer wrappers, and print the used heap "
            + "after a full GC every 1000 iterations")
    private int soak;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        if (soak > 0) {
            return new SoakRun(Workload.tiny(4)).run(soak, 1000) ? 0 : 1;
        }
        System.out.printf(Locale.ROOT, "dl4j-debug bench: %d warm-up + %d timed rounds x %d iterations, alternating "
                        + "in one process; %d CPU cores, %s %s, ND4J %s, OMP_NUM_THREADS=%s%n", warmup, rounds,
                iterations, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Nd4j.getBackend().getClass().getSimpleName(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        List<Workload> workloads = new ArrayList<>();
        if (workload.equals("resnet") || workload.equals("all")) {
            workloads.add(Workload.resnet(resnetBatch));
        }
        if (workload.equals("mlp") || workload.equals("all")) {
            workloads.add(Workload.mlp(dataDir, mlpBatch));
        }
        if (workload.equals("lstm")) {
            workloads.add(Workload.lstm(dataDir, mlpBatch));
        }
        for (Workload w : workloads) {
            List<Variant> variants = variants();
            System.out.println();
            System.out.println("### " + w.description());
            System.out.println();
            List<AlternatingBenchmark.Result> results = new AlternatingBenchmark(w, iterations)
                    .run(variants, warmup, rounds, memoryIterations);
            BenchTable.print(System.out, variants, results);
            if (profile) {
                new CallbackProfile(w).run(variants, Math.max(20, iterations * 2));
            }
        }
        return 0;
    }

    private void validate() {
        String problem = null;
        if (!List.of("resnet", "mlp", "lstm", "all").contains(workload)) {
            problem = "--workload must be resnet, mlp, lstm or all but was " + workload;
        } else if (rounds < 1 || warmup < 0 || iterations < 1 || memoryIterations < 0) {
            problem = "--rounds and --iterations must be >= 1, --warmup and --memory-iterations >= 0, but were "
                    + rounds + ", " + iterations + ", " + warmup + ", " + memoryIterations;
        } else if (mlpBatch < 1 || resnetBatch < 1) {
            problem = "--mlp-batch and --resnet-batch must be >= 1 but were " + mlpBatch + ", " + resnetBatch;
        } else if (soak < 0) {
            problem = "--soak must be >= 1 iterations (or absent) but was " + soak;
        } else {
            for (String key : variantKeys) {
                if (!VARIANT_KEYS.contains(key)) {
                    problem = "--variants: unknown variant '" + key + "'; valid: " + String.join(",", VARIANT_KEYS);
                }
            }
        }
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
    }

    /** @return the selected variants, bare first */
    private List<Variant> variants() {
        Map<String, Variant> all = new LinkedHashMap<>();
        all.put("bare", Variant.listeners("bare fit", List::of));
        all.put("noise", Variant.listeners("bare fit again (noise floor)", List::of));
        all.put("empty", Variant.listeners("a listener that does nothing (DL4J's listener calls)",
                () -> List.<TrainingListener>of(new BaseTrainingListener() {
                })));
        all.put("stats10", Variant.listeners("DL4J StatsListener (frequency 10)",
                () -> List.of(new StatsListener(new InMemoryStatsStorage()))));
        all.put("stats1", Variant.listeners("DL4J StatsListener (frequency 1)",
                () -> List.of(new StatsListener(new InMemoryStatsStorage(), 1))));
        all.put("suite", Variant.listeners("dl4j-debug suite (default config)",
                () -> DebugSuite.builder().logging(false).build().listeners()).withTarget(1.02));
        all.put("nan", Variant.listeners("NonFiniteDetector (every iteration)",
                () -> List.of(NonFiniteDetector.withPolicy(NanPolicy.LOG))).withTarget(1.01));
        all.put("grad", Variant.listeners("GradientMonitor (default schedule)",
                () -> List.of(GradientMonitor.withDefaults())));
        all.put("act", Variant.listeners("ActivationMonitor (default schedule)",
                () -> List.of(ActivationMonitor.withDefaults())));
        all.put("loss", Variant.listeners("LossMonitor (regularization, default schedule)",
                () -> List.<TrainingListener>of(new LossMonitor(Schedule.defaults(), null, null, List.of()))));
        all.put("wrappers", wrappers().withTarget(1.05));
        List<Variant> selected = new ArrayList<>();
        for (Map.Entry<String, Variant> e : all.entrySet()) {
            if (e.getKey().equals("bare") || variantKeys.contains(e.getKey())) {
                selected.add(e.getValue());
            }
        }
        return selected;
    }

    /**
     * @return the layer wrappers on every wrappable layer, NaN check every iteration, statistics on the default
     *         schedule (every iteration for the first 20, then every 10), publishing through {@code session.attachTo}
     */
    static Variant wrappers() {
        return new Variant("layer wrappers (check every it., stats default)", OptionalDouble.empty(), model -> {
            ProbeSession session = ProbeSession.builder().logging(false).config(LayerProbeConfig.builder()
                    .policy(NanPolicy.LOG).checkSchedule(Schedule.everyIteration()).statsSchedule(Schedule.defaults())
                    .build()).build();
            Model wrapped = model instanceof MultiLayerNetwork net ? LayerWrappers.wrap(net, session.id())
                    : LayerWrappers.wrap((ComputationGraph) model, session.id());
            session.attachTo(wrapped);
            return new Variant.Setup(wrapped, session::close);
        });
    }

    /**
     * @param model a network
     * @return its listeners
     */
    static Collection<TrainingListener> listenersOf(Model model) {
        return model instanceof MultiLayerNetwork net ? net.getListeners()
                : ((ComputationGraph) model).getListeners();
    }
}
