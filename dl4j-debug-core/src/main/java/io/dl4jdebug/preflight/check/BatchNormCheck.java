package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.model.ParameterInfo;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checklist item {@code config.batchnorm}: BatchNormalization layers start with a gamma that lets the signal through,
 * keep updating their running statistics, have an epsilon that is a numerical guard rather than a term of the
 * normalisation, and see minibatches of more than one example.
 *
 * <p>A gamma of 0 is judged by position and by measurement. On the last BatchNormalization of a residual branch (its
 * output reaches an {@link ElementWiseVertex} Add, possibly through activation layers, whose other input carries the
 * signal) it is the zero-init-residual trick: the block starts as the identity. Anywhere else the check measures on a
 * copy with the first minibatch: the gradient of gamma and of every parameter upstream (shared with
 * {@code gradients.reach-parameters}), and the spread across examples of the layer's output after one training step
 * and of the network's output. A layer whose gamma gets no gradient, or whose output still does not depend on the
 * input after a step, is stuck: FAIL. One whose gamma learns only delays the layers below it: WARN. A gamma locked at
 * 0 ({@code lockGammaBeta(true)}) never learns: FAIL wherever it is.
 */
final class BatchNormCheck extends BaseCheck {

    /** Spread across examples (std over examples / RMS) at or below which an output ignores the input. */
    private static final double SPREAD_TOLERANCE = 1e-6;

    BatchNormCheck() {
        super("config.batchnorm", Level.CODE, Symptom.BATCHNORM_MISCONFIGURED);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        Map<String, BatchNormalization> bns = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : ctx.layerConfigurations().entrySet()) {
            if (ModelView.innermost(e.getValue()) instanceof BatchNormalization) {
                bns.put(e.getKey(), (BatchNormalization) ModelView.innermost(e.getValue()));
            }
        }
        if (bns.isEmpty()) {
            return CheckResult.pass(this, "no BatchNormalization layer", Map.of("batchNormLayers", 0.0));
        }
        List<Finding> found = new ArrayList<>();
        List<String> zeroGamma = new ArrayList<>();
        Set<String> anyZeroGamma = new HashSet<>();
        for (Map.Entry<String, BatchNormalization> e : bns.entrySet()) {
            BatchNormalization bn = e.getValue();
            if (bn.getGamma() == 0.0) {
                anyZeroGamma.add(e.getKey());
            }
            if (bn.isLockGammaBeta() && bn.getGamma() == 0.0) {
                found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.ERROR, "BatchNormalization "
                                + e.getKey() + " has lockGammaBeta(true) with gamma 0: backpropagation multiplies "
                                + "by gamma, so no layer below it learns" + (bn.getBeta() != 0.0
                                ? ", and its output is the constant beta " + bn.getBeta() : ""))
                        .layer(e.getKey()).evidence("gamma", bn.getGamma()).evidence("beta", bn.getBeta())
                        .evidence("lockGammaBeta", 1.0)
                        .suggest("remove lockGammaBeta(true), or lock gamma at 1: new BatchNormalization"
                                + ".Builder(1.0, 0.0, true)")
                        .build());
            } else if (!bn.isLockGammaBeta() && bn.getGamma() == 0.0) {
                zeroGamma.add(e.getKey());
            }
            if (bn.getEps() >= io.dl4jdebug.diagnose.FixAdvisor.LARGE_BN_EPS) {
                found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, String.format(
                                java.util.Locale.ROOT, "BatchNormalization %s has eps %s: the normalisation divides "
                                        + "by sqrt(variance + eps), and an eps that large outweighs variances of "
                                        + "about 1 or below, so the layer shrinks its output instead of "
                                        + "normalising it (DL4J's default is 1e-5)", e.getKey(), bn.getEps()))
                        .layer(e.getKey()).evidence("eps", bn.getEps())
                        .evidence("threshold", io.dl4jdebug.diagnose.FixAdvisor.LARGE_BN_EPS)
                        .suggest(".eps(1e-5) on the BatchNormalization builder (or leave it out)").build());
            }
            if (bn.getDecay() >= 1.0) {
                found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, "BatchNormalization "
                                + e.getKey() + " has decay " + bn.getDecay() + ": its running mean and variance "
                                + "never update, so inference (evaluation, score) uses the initial 0/1 statistics")
                        .layer(e.getKey()).evidence("decay", bn.getDecay())
                        .suggest(".decay(0.9) (DL4J's default) on the BatchNormalization builder").build());
            }
        }
        Graph graph = new Graph(ctx, anyZeroGamma);
        List<String> residual = zeroGamma.stream().filter(graph::endsResidualBranch).toList();
        List<String> elsewhere = zeroGamma.stream().filter(n -> !residual.contains(n)).toList();
        String measuredNote = "";
        if (!elsewhere.isEmpty()) {
            Judged judged = judge(ctx, graph, elsewhere, bns.size());
            found.addAll(judged.findings());
            measuredNote = judged.passNote();
        }
        DataSet first = ctx.first();
        int batch = first == null ? -1 : first.numExamples();
        if (batch == 1) {
            found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, "minibatches of 1 "
                            + "example with BatchNormalization: batch statistics of one example normalize every "
                            + "activation to beta")
                    .layer(bns.keySet().iterator().next()).evidence("batchSize", batch)
                    .suggest("use minibatches of at least 8-16 examples, or remove BatchNormalization").build());
        }
        if (!found.isEmpty()) {
            boolean error = found.stream().anyMatch(f -> f.severity() == Severity.ERROR);
            return CheckResult.problem(this, error ? CheckStatus.FAIL : CheckStatus.WARN, found.stream()
                    .map(Finding::message).collect(Collectors.joining("; ")), found);
        }
        return CheckResult.pass(this, bns.size() + " BatchNormalization layers configured plausibly"
                        + (residual.isEmpty() ? "" : " (gamma 0 on " + residual + " only: zero-init residual)")
                        + measuredNote,
                Map.of("batchNormLayers", (double) bns.size(), "batchSize", (double) batch));
    }

    /** Findings about zero-gamma layers away from the end of a residual branch, and a note when all of them learn. */
    private record Judged(List<Finding> findings, String passNote) {
    }

    /** What was measured for one zero-gamma BatchNormalization. */
    private record Measured(String layer, double gammaGradient, int upstreamParameters, int upstreamWithoutGradient,
                            OptionalDouble spreadAfterStep) {
        boolean stuck() {
            return gammaGradient == 0.0 || (spreadAfterStep.isPresent()
                    && spreadAfterStep.getAsDouble() <= SPREAD_TOLERANCE);
        }

        String describe() {
            return String.format(Locale.ROOT, "%s: gamma gradient %s, spread of its output across examples after "
                            + "one step %s, %d of %d parameters upstream without gradient", layer,
                    format(OptionalDouble.of(gammaGradient)), format(spreadAfterStep), upstreamWithoutGradient,
                    upstreamParameters);
        }
    }

    private Judged judge(CheckContext ctx, Graph graph, List<String> elsewhere, int batchNormLayers) {
        DataSet first = ctx.first();
        if (first == null || !ctx.forwardOk()) {
            return new Judged(List.of(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN,
                            "BatchNormalization " + String.join(", ", elsewhere) + " start with gamma 0 away from "
                                    + "the end of a residual branch; not measured, the forward pass did not run on a "
                                    + "training minibatch (see model.forward)")
                    .layer(elsewhere.get(0)).evidence("layersWithGammaZero", elsewhere.size())
                    .evidence("batchNormLayers", batchNormLayers)
                    .suggest(gammaFix(elsewhere)).build()), "");
        }
        Map<ParameterInfo, Double> gradients = ctx.gradientNorms();
        NetworkOps stepped = ctx.ops().copy();
        stepped.fit(first);
        Map<String, INDArray> after = stepped.activations(first.getFeatures());
        OptionalDouble outputAtInit = spread(ctx.forward().output());
        OptionalDouble outputAfterStep = spread(stepped.output(first.getFeatures()));
        List<Measured> measured = new ArrayList<>();
        for (String bn : elsewhere) {
            Set<String> upstream = graph.ancestors(bn);
            double gammaGradient = 0;
            int upstreamParameters = 0;
            int without = 0;
            for (Map.Entry<ParameterInfo, Double> g : gradients.entrySet()) {
                ParameterInfo p = g.getKey();
                if (p.layer().equals(bn) && p.key().equals("gamma")) {
                    gammaGradient = g.getValue();
                } else if (upstream.contains(p.layer())) {
                    upstreamParameters++;
                    without += g.getValue() == 0.0 ? 1 : 0;
                }
            }
            measured.add(new Measured(bn, gammaGradient, upstreamParameters, without, spread(after.get(bn))));
        }
        String network = String.format(Locale.ROOT, "the network's output spread across examples is %s at "
                + "initialization and %s after one step", format(outputAtInit), format(outputAfterStep));
        List<Finding> findings = new ArrayList<>();
        List<Measured> stuck = measured.stream().filter(Measured::stuck).toList();
        if (!stuck.isEmpty()) {
            boolean outputDead = outputAfterStep.isPresent() && outputAfterStep.getAsDouble() <= SPREAD_TOLERANCE;
            findings.add(finding(Severity.ERROR, stuck, "BatchNormalization " + names(stuck) + (stuck.size() == 1
                            ? " starts with gamma 0 away from the end of a residual branch and stays dead"
                            : " start with gamma 0 away from the end of a residual branch and stay dead")
                            + " (measured on a copy with the first minibatch): " + stuck.stream()
                            .map(Measured::describe).collect(Collectors.joining("; ")) + "; " + network
                            + ". A gamma without gradient stays 0: the layers that reach the output only through it "
                            + "never learn" + (outputDead ? ", and the output ignores the input" : ""),
                    batchNormLayers, outputAtInit, outputAfterStep));
        }
        List<Measured> slow = measured.stream().filter(m -> !m.stuck() && m.upstreamWithoutGradient() > 0).toList();
        if (!slow.isEmpty()) {
            findings.add(finding(Severity.WARN, slow, "BatchNormalization " + names(slow) + (slow.size() == 1
                            ? " starts" : " start") + " with gamma 0 away from the end of a residual branch: at "
                            + "initialization the layers below get no gradient, but gamma learns and the output "
                            + "depends on the input after one step, so training recovers, later than with gamma 1 "
                            + "(" + slow.stream().map(Measured::describe).collect(Collectors.joining("; ")) + "; "
                            + network + ")", batchNormLayers, outputAtInit, outputAfterStep));
        }
        List<Measured> fine = measured.stream().filter(m -> !m.stuck() && m.upstreamWithoutGradient() == 0)
                .toList();
        return new Judged(findings, fine.isEmpty() ? "" : " (gamma 0 on " + fine.stream().map(Measured::layer)
                .toList() + " measured: gamma learns and every parameter upstream gets a gradient)");
    }

    private static Finding finding(Severity severity, List<Measured> layers, String message, int batchNormLayers,
                                   OptionalDouble outputAtInit, OptionalDouble outputAfterStep) {
        Measured lead = layers.get(0);
        Finding.Builder b = Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, severity, message).layer(lead.layer())
                .evidence("layersWithGammaZero", layers.size()).evidence("batchNormLayers", batchNormLayers)
                .evidence("gammaGradientNorm", lead.gammaGradient())
                .evidence("upstreamParameters", lead.upstreamParameters())
                .evidence("upstreamParametersWithoutGradient", lead.upstreamWithoutGradient());
        lead.spreadAfterStep().ifPresent(s -> b.evidence("outputSpreadAfterStep", s));
        outputAtInit.ifPresent(s -> b.evidence("networkOutputSpreadAtInit", s));
        outputAfterStep.ifPresent(s -> b.evidence("networkOutputSpreadAfterStep", s));
        return b.suggest(gammaFix(layers.stream().map(Measured::layer).toList())).build();
    }

    private static String gammaFix(List<String> layers) {
        return ".gamma(1.0) (DL4J's default) on the BatchNormalization builder of " + String.join(", ", layers)
                + "; keep gamma(0.0) only on the last BatchNormalization of each residual branch (the one added to "
                + "the shortcut)";
    }

    private static String names(List<Measured> layers) {
        return layers.stream().map(Measured::layer).collect(Collectors.joining(", "));
    }

    private static String format(OptionalDouble value) {
        if (value.isEmpty()) {
            return "not measured";
        }
        return value.getAsDouble() == 0.0 ? "0" : String.format(Locale.ROOT, "%.3g", value.getAsDouble());
    }

    /**
     * The spread of an output across the examples of a minibatch: the mean over units of the standard deviation
     * over examples, relative to the output's RMS (0 for an all-zero output).
     *
     * @return the spread, empty for a missing output or fewer than 2 examples
     */
    static OptionalDouble spread(INDArray output) {
        if (output == null || output.rank() < 1 || output.size(0) < 2) {
            return OptionalDouble.empty();
        }
        long n = output.size(0);
        INDArray m = output.castTo(DataType.DOUBLE).dup('c').reshape(n, output.length() / n);
        double rms = m.norm2Number().doubleValue() / Math.sqrt(m.length());
        if (rms == 0.0) {
            return OptionalDouble.of(0.0);
        }
        return OptionalDouble.of(m.std(false, 0).meanNumber().doubleValue() / rms);
    }

    /** The network as a graph of layer and vertex names, with where the signal can flow at initialization. */
    private static final class Graph {
        private final CheckContext ctx;
        private final Map<String, List<String>> parents;
        private final Map<String, List<String>> children = new HashMap<>();
        private final Set<String> carriesSignal = new HashSet<>();

        /**
         * @param ctx       the run
         * @param zeroGamma every BatchNormalization with gamma 0: its output is constant at initialization
         */
        Graph(CheckContext ctx, Set<String> zeroGamma) {
            this.ctx = ctx;
            this.parents = ctx.ops().vertexInputs();
            parents.forEach((v, ins) -> ins.forEach(p -> children.computeIfAbsent(p, k -> new ArrayList<>())
                    .add(v)));
            for (Map.Entry<String, List<String>> e : parents.entrySet()) {
                // network inputs carry the signal; an Add (or merge) carries it when any input does
                boolean in = e.getValue().stream().anyMatch(p -> !parents.containsKey(p) || carriesSignal.contains(p));
                if (in && !zeroGamma.contains(e.getKey())) {
                    carriesSignal.add(e.getKey());
                }
            }
        }

        /**
         * @return true when the layer's output reaches an ElementWiseVertex Add through activation layers only, and
         *         another input of that Add carries the signal
         */
        boolean endsResidualBranch(String bn) {
            String at = bn;
            while (true) {
                List<String> next = children.getOrDefault(at, List.of());
                if (next.size() != 1) {
                    return false;
                }
                String v = next.get(0);
                Object conf = ctx.ops().vertexConfiguration(v).orElse(null);
                if (conf instanceof ElementWiseVertex
                        && ((ElementWiseVertex) conf).getOp() == ElementWiseVertex.Op.Add) {
                    String branch = at;
                    return parents.get(v).stream().anyMatch(p -> !p.equals(branch)
                            && (!parents.containsKey(p) || carriesSignal.contains(p)));
                }
                Layer layer = ctx.layerConfigurations().get(v);
                if (layer == null || !(ModelView.innermost(layer) instanceof ActivationLayer)) {
                    return false;
                }
                at = v;
            }
        }

        /** @return every layer and vertex the given one reads from, directly or not */
        Set<String> ancestors(String name) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(name));
            while (!todo.isEmpty()) {
                for (String p : parents.getOrDefault(todo.pop(), List.of())) {
                    if (seen.add(p)) {
                        todo.push(p);
                    }
                }
            }
            return seen;
        }
    }
}
