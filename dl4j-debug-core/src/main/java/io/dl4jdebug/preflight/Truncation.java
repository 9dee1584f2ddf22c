package io.dl4jdebug.preflight;

import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.NetworkOps;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a network into {@link Segment}s and builds its simplified versions: the first k segments with a fresh output
 * head, parameters of the kept layers copied (through DL4J's {@code TransferLearning}).
 */
final class Truncation {

    /** Name of the fresh output layer of a simplified network. */
    static final String HEAD = "dl4jdebug_head";

    private Truncation() {
    }

    /**
     * @param ops the network
     * @return its segments from input to output, the output layer excluded
     * @throws IllegalArgumentException when the network cannot be cut (a graph with several inputs or outputs)
     */
    static List<Segment> segments(NetworkOps ops) {
        ModelView view = ops.view();
        List<List<String>> groups = new ArrayList<>();
        if (ops.model() instanceof MultiLayerNetwork) {
            List<LayerInfo> layers = view.layers();
            for (int i = 0; i < layers.size() - 1; i++) {
                groups.add(List.of(layers.get(i).name()));
            }
        } else {
            groups = graphGroups((ComputationGraph) ops.model());
        }
        // A group without parameters (activation, pooling, add + activation) joins the group before it.
        List<List<String>> merged = new ArrayList<>();
        for (List<String> g : groups) {
            boolean hasParams = g.stream().anyMatch(n -> hasParameters(view, n));
            if (!hasParams && !merged.isEmpty()) {
                List<String> last = new ArrayList<>(merged.remove(merged.size() - 1));
                last.addAll(g);
                merged.add(last);
            } else {
                merged.add(new ArrayList<>(g));
            }
        }
        List<Segment> segments = new ArrayList<>();
        for (List<String> g : merged) {
            String name = g.stream().filter(n -> hasParameters(view, n)).findFirst().orElse(g.get(0));
            segments.add(new Segment(segments.size(), name, g.get(g.size() - 1), g));
        }
        return segments;
    }

    private static boolean hasParameters(ModelView view, String name) {
        return view.layer(name).map(l -> !l.parameters().isEmpty()).orElse(false);
    }

    /** Vertices between consecutive cut vertices (vertices on every input-to-output path), in topological order. */
    private static List<List<String>> graphGroups(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("bisection needs a graph with one input and one output, but it has "
                    + conf.getNetworkInputs() + " inputs and " + conf.getNetworkOutputs() + " outputs");
        }
        String input = conf.getNetworkInputs().get(0);
        String output = conf.getNetworkOutputs().get(0);
        Map<String, List<String>> parents = conf.getVertexInputs();
        Map<String, List<String>> children = new HashMap<>();
        parents.forEach((v, ins) -> ins.forEach(p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(v)));
        Set<String> ancestors = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(output));
        while (!todo.isEmpty()) {
            for (String p : parents.getOrDefault(todo.pop(), List.of())) {
                if (ancestors.add(p)) {
                    todo.push(p);
                }
            }
        }
        List<String> order = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (ancestors.contains(name) && !name.equals(input)) {
                order.add(name);
            }
        }
        List<List<String>> groups = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String v : order) {
            current.add(v);
            if (!reachableAvoiding(input, output, v, children, ancestors)) {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        // vertices after the last cut feed the output together with it: they are not cut off separately
        return groups;
    }

    private static boolean reachableAvoiding(String from, String to, String avoid, Map<String, List<String>> children,
                                             Set<String> allowed) {
        Set<String> seen = new HashSet<>(List.of(from));
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            for (String c : children.getOrDefault(todo.pop(), List.of())) {
                if (c.equals(to)) {
                    return true;
                }
                if (!c.equals(avoid) && allowed.contains(c) && seen.add(c)) {
                    todo.push(c);
                }
            }
        }
        return false;
    }

    /**
     * Builds the first {@code kept} segments of a network followed by a fresh output head like the original's (same
     * loss, activation, width and updater; Xavier initialization).
     *
     * @param original  the network (not modified: it is copied first)
     * @param segments  its segments
     * @param kept      how many segments to keep, 0 to {@code segments.size()}
     * @param inputType the network's input type
     * @param seed      the seed of the new head
     * @return the simplified network
     */
    static NetworkOps prefix(NetworkOps original, List<Segment> segments, int kept, InputType inputType, long seed) {
        if (kept < 0 || kept > segments.size()) {
            throw new IllegalArgumentException("kept must be in [0, " + segments.size() + "] but was " + kept);
        }
        NetworkOps copy = original.copy();
        Layer outputConf = ModelView.innermost(outputLayerConf(copy));
        String from = kept == 0 ? null : segments.get(kept - 1).end();
        InputType type = from == null ? inputType : copy.activationTypes(inputType).get(from);
        if (type == null) {
            throw new IllegalStateException("no output type known for vertex '" + from + "'");
        }
        FeedForwardLayer head = freshHead(outputConf);
        InputPreProcessor pre = head.getPreProcessorForInputType(type);
        head.setNIn(pre == null ? type : pre.getOutputType(type), true);
        FineTuneConfiguration fine = new FineTuneConfiguration.Builder().seed(seed).build();
        if (copy.model() instanceof MultiLayerNetwork) {
            MultiLayerNetwork net = (MultiLayerNetwork) copy.model();
            int keepLayers = 0;
            if (from != null) {
                List<String> names = new ArrayList<>(copy.layerConfigurations().keySet());
                keepLayers = names.indexOf(from) + 1;
            }
            if (keepLayers == 0) {
                // TransferLearning cannot remove every layer: build the head alone.
                NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                        .dataType(net.getLayerWiseConfigurations().getDataType()).list().layer(head);
                if (pre != null) {
                    list.inputPreProcessor(0, pre);
                }
                MultiLayerNetwork alone = new MultiLayerNetwork(list.build());
                alone.init();
                return NetworkOps.of(alone);
            }
            TransferLearning.Builder b = new TransferLearning.Builder(net).fineTuneConfiguration(fine)
                    .removeLayersFromOutput(net.getnLayers() - keepLayers);
            if (pre != null) {
                b.setInputPreProcessor(keepLayers, pre);
            }
            return NetworkOps.of(b.addLayer(head).build());
        }
        ComputationGraph graph = (ComputationGraph) copy.model();
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Set<String> keep = new LinkedHashSet<>(conf.getNetworkInputs());
        for (int i = 0; i < kept; i++) {
            keep.addAll(segments.get(i).members());
        }
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(graph).fineTuneConfiguration(fine);
        for (String v : new ArrayList<>(conf.getVertices().keySet())) {
            if (!keep.contains(v)) {
                b.removeVertexAndConnections(v);
            }
        }
        b.addLayer(HEAD, head, pre, from == null ? conf.getNetworkInputs().get(0) : from).setOutputs(HEAD);
        return NetworkOps.of(b.build());
    }

    private static Layer outputLayerConf(NetworkOps ops) {
        ModelView view = ops.view();
        String name = view.outputLayerName();
        Layer conf = ops.layerConfigurations().get(name);
        if (conf == null) {
            throw new IllegalArgumentException("no output layer found (looked for '" + name + "')");
        }
        return conf;
    }

    private static FeedForwardLayer freshHead(Layer original) {
        if (!(original instanceof BaseOutputLayer)) {
            throw new IllegalArgumentException("bisection needs an OutputLayer or RnnOutputLayer at the output, but "
                    + "the output is a " + original.getClass().getSimpleName());
        }
        BaseOutputLayer out = (BaseOutputLayer) original;
        BaseOutputLayer.Builder<?> b;
        if (original instanceof RnnOutputLayer) {
            b = new RnnOutputLayer.Builder(out.getLossFn()).dataFormat(((RnnOutputLayer) original).getRnnDataFormat());
        } else if (original instanceof OutputLayer) {
            b = new OutputLayer.Builder(out.getLossFn());
        } else {
            throw new IllegalArgumentException("bisection needs an OutputLayer or RnnOutputLayer at the output, but "
                    + "the output is a " + original.getClass().getSimpleName());
        }
        b.nOut(out.getNOut()).activation(out.getActivationFn()).weightInit(WeightInit.XAVIER).name(HEAD);
        if (((BaseLayer) original).getIUpdater() != null) {
            b.updater(((BaseLayer) original).getIUpdater().clone());
        }
        return (FeedForwardLayer) b.build();
    }
}
