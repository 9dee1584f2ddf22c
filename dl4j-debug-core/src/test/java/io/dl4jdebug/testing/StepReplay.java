package io.dl4jdebug.testing;

import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replays training step by step without any listener, inspecting every array in the order DL4J computes them
 * (features, layer outputs, score, parameter gradients, parameters after the update), and reports where the first
 * non-finite value appears: the independent reference for the detector.
 *
 * <p>It does not share the detector's scan order for gradients. It collects every layer whose parameter gradient
 * holds a NaN/Inf and keeps as <em>origins</em> those whose gradient is bad while the gradients of every layer above
 * them (the layers that consume their output, directly or through parameter-free vertices, read from the network's
 * configuration) are all finite: backprop carries a NaN only downwards, so a bad layer with clean layers above made
 * the NaN itself. For parameters after the update every bad parameter is an origin (the update moves no value between
 * layers). Forward kinds have one origin: the first bad array in the order the forward pass computes them.
 */
public final class StepReplay {

    /**
     * Where the replay found the first non-finite value.
     *
     * @param iteration the iteration
     * @param kind      what held it
     * @param origins   every acceptable answer: one for forward kinds, the origin layers (with the first bad key of
     *                  each) for gradients and parameters
     */
    public record Found(long iteration, NonFiniteEvent.Kind kind, List<Origin> origins) {
        public Found {
            origins = List.copyOf(origins);
            if (origins.isEmpty()) {
                throw new IllegalArgumentException("a finding needs at least one origin");
            }
        }

        static Found one(long iteration, NonFiniteEvent.Kind kind, String layer, String parameter) {
            return new Found(iteration, kind, List.of(new Origin(layer, parameter)));
        }

        /**
         * @param layer     a layer name
         * @param parameter a parameter key, or null
         * @return true when that layer (and parameter) is one of the origins
         */
        public boolean names(String layer, String parameter) {
            return origins.contains(new Origin(layer, parameter));
        }
    }

    /**
     * A layer that made a non-finite value.
     *
     * @param layer     the layer (or input) name
     * @param parameter the first bad parameter key in DL4J's order within the layer, null for activations
     */
    public record Origin(String layer, String parameter) {
    }

    private StepReplay() {
    }

    public static Optional<Found> firstNonFinite(Model net, List<DataSet> batches) {
        ModelView view = ModelView.of(net);
        Map<String, Set<String>> above = layersAbove(net, view);
        for (int it = 0; it < batches.size(); it++) {
            DataSet ds = batches.get(it);
            Optional<Found> f = forward(view, net, ds, it);
            if (f.isPresent()) {
                return f;
            }
            Model probe = clone(net);
            ModelView probeView = ModelView.of(probe);
            double score = gradientAndScore(probe, ds);
            if (!Double.isFinite(score)) {
                return Optional.of(Found.one(it, NonFiniteEvent.Kind.SCORE, view.outputLayerName(), null));
            }
            Map<String, String> badGradients = firstBadKeyPerLayer(probeView.parameters(),
                    p -> probe.gradient().gradientForVariable().get(p.flatKey()));
            if (!badGradients.isEmpty()) {
                List<Origin> origins = new ArrayList<>();
                for (Map.Entry<String, String> bad : badGradients.entrySet()) {
                    boolean cleanAbove = above.get(bad.getKey()).stream().noneMatch(badGradients::containsKey);
                    if (cleanAbove) {
                        origins.add(new Origin(bad.getKey(), bad.getValue()));
                    }
                }
                return Optional.of(new Found(it, NonFiniteEvent.Kind.GRADIENT, origins));
            }
            fit(net, ds);
            Map<String, String> badParameters = firstBadKeyPerLayer(view.parameters(), view::parameterArray);
            if (!badParameters.isEmpty()) {
                List<Origin> origins = new ArrayList<>();
                badParameters.forEach((layer, key) -> origins.add(new Origin(layer, key)));
                return Optional.of(new Found(it, NonFiniteEvent.Kind.PARAMETER, origins));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> firstBadKeyPerLayer(List<ParameterInfo> parameters,
                                                           java.util.function.Function<ParameterInfo, INDArray> array) {
        Map<String, String> bad = new LinkedHashMap<>();
        for (ParameterInfo p : parameters) {
            if (!bad.containsKey(p.layer()) && hasNonFinite(array.apply(p))) {
                bad.put(p.layer(), p.key());
            }
        }
        return bad;
    }

    /**
     * For every layer, the layers that consume its output directly or transitively: in a MultiLayerNetwork every
     * later layer, in a ComputationGraph the vertices reachable through the configuration's vertex inputs.
     */
    private static Map<String, Set<String>> layersAbove(Model net, ModelView view) {
        Map<String, Set<String>> above = new HashMap<>();
        if (net instanceof MultiLayerNetwork) {
            List<LayerInfo> layers = view.layers();
            for (int i = 0; i < layers.size(); i++) {
                Set<String> later = new HashSet<>();
                for (int j = i + 1; j < layers.size(); j++) {
                    later.add(layers.get(j).name());
                }
                above.put(layers.get(i).name(), later);
            }
            return above;
        }
        Map<String, List<String>> inputs = ((ComputationGraph) net).getConfiguration().getVertexInputs();
        Map<String, Set<String>> consumers = new HashMap<>();
        inputs.forEach((vertex, ins) -> ins.forEach(in -> consumers.computeIfAbsent(in, k -> new HashSet<>())
                .add(vertex)));
        for (String vertex : inputs.keySet()) {
            Set<String> reached = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(consumers.getOrDefault(vertex, Set.of()));
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (reached.add(next)) {
                    todo.addAll(consumers.getOrDefault(next, Set.of()));
                }
            }
            above.put(vertex, reached);
        }
        return above;
    }

    private static Optional<Found> forward(ModelView view, Model net, DataSet ds, int it) {
        if (hasNonFinite(ds.getFeatures())) {
            return Optional.of(Found.one(it, NonFiniteEvent.Kind.INPUT, "input", null));
        }
        if (net instanceof MultiLayerNetwork) {
            List<INDArray> acts = ((MultiLayerNetwork) net).feedForward(ds.getFeatures(), true);
            for (int i = 0; i < view.layers().size() - 1; i++) {
                if (hasNonFinite(acts.get(i + 1))) {
                    return Optional.of(Found.one(it, NonFiniteEvent.Kind.ACTIVATION, view.layers().get(i).name(),
                            null));
                }
            }
        } else {
            Map<String, INDArray> acts = ((ComputationGraph) net).feedForward(ds.getFeatures(), true);
            for (LayerInfo layer : view.layers()) {
                if (!layer.outputLayer() && hasNonFinite(acts.get(layer.name()))) {
                    return Optional.of(Found.one(it, NonFiniteEvent.Kind.ACTIVATION, layer.name(), null));
                }
            }
        }
        return Optional.empty();
    }

    private static Model clone(Model net) {
        return net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).clone() : ((ComputationGraph) net).clone();
    }

    private static double gradientAndScore(Model net, DataSet ds) {
        if (net instanceof MultiLayerNetwork) {
            MultiLayerNetwork m = (MultiLayerNetwork) net;
            m.setInput(ds.getFeatures());
            m.setLabels(ds.getLabels());
            m.computeGradientAndScore();
            return m.score();
        }
        ComputationGraph g = (ComputationGraph) net;
        g.setInputs(ds.getFeatures());
        g.setLabels(ds.getLabels());
        g.computeGradientAndScore();
        return g.score();
    }

    private static void fit(Model net, DataSet ds) {
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(ds);
        } else {
            ((ComputationGraph) net).fit(ds);
        }
    }

    private static boolean hasNonFinite(INDArray a) {
        if (a == null) {
            return false;
        }
        for (double v : Naive.values(a)) {
            if (!Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }
}
