package io.dl4jdebug.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One read-only view over a {@link MultiLayerNetwork} or a {@link ComputationGraph}: its layers and vertices in
 * topological order, their parameters with DL4J's keys, and the mapping from DL4J's listener callbacks
 * (activation lists and maps) to those layers. This is the only class of dl4j-debug that tells the two network types
 * apart.
 *
 * <p>The view is built once per network; it reads the network's live arrays on demand. Not thread safe.
 */
public final class ModelView {

    private static final Set<String> BATCH_NORM_RUNNING_STATS = Set.of("mean", "var", "log10stdev");

    private final Model model;
    private final ModelKind kind;
    private final List<LayerInfo> layers;
    private final Map<String, Layer> implementations;
    private final List<ParameterInfo> parameters;
    private final List<ParameterInfo> parametersInBackwardOrder;

    private ModelView(Model model, ModelKind kind, List<LayerInfo> layers, Map<String, Layer> implementations) {
        this.model = model;
        this.kind = kind;
        this.layers = List.copyOf(layers);
        this.implementations = Collections.unmodifiableMap(implementations);
        List<ParameterInfo> params = new ArrayList<>();
        for (LayerInfo layer : layers) {
            params.addAll(layer.parameters());
        }
        this.parameters = List.copyOf(params);
        List<ParameterInfo> backward = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            backward.addAll(layers.get(i).parameters());
        }
        this.parametersInBackwardOrder = List.copyOf(backward);
    }

    /**
     * Builds the view of an initialised network.
     *
     * @param model a {@link MultiLayerNetwork} or {@link ComputationGraph} on which {@code init()} was called
     * @return its view
     * @throws UnsupportedModelException for any other model type (naming the type)
     * @throws IllegalStateException when the network was not initialised
     */
    public static ModelView of(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return ofMultiLayer((MultiLayerNetwork) model);
        }
        if (model instanceof ComputationGraph) {
            return ofGraph((ComputationGraph) model);
        }
        throw new UnsupportedModelException(model);
    }

    /**
     * Checks that a model type is supported without building its view.
     *
     * @param model the model
     * @throws UnsupportedModelException when it is neither a MultiLayerNetwork nor a ComputationGraph
     */
    public static void requireSupported(Object model) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new UnsupportedModelException(model);
        }
    }

    private static ModelView ofMultiLayer(MultiLayerNetwork net) {
        Layer[] impls = net.getLayers();
        if (impls == null) {
            throw new IllegalStateException("the MultiLayerNetwork is not initialised: call net.init() before "
                    + "attaching dl4j-debug");
        }
        List<LayerInfo> infos = new ArrayList<>();
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (int i = 0; i < impls.length; i++) {
            Layer impl = impls[i];
            // The network's configuration, not impl.conf(): wrappers such as FrozenLayerWithBackprop hand their
            // implementation the wrapped layer's configuration.
            org.deeplearning4j.nn.conf.layers.Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
            String name = conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(i);
            boolean output = i == impls.length - 1 && impl instanceof IOutputLayer;
            infos.add(describeLayer(i, name, String.valueOf(i), conf, impl, output));
            byName.put(name, impl);
        }
        return new ModelView(net, ModelKind.MULTI_LAYER_NETWORK, infos, byName);
    }

    private static ModelView ofGraph(ComputationGraph graph) {
        GraphVertex[] vertices = graph.getVertices();
        if (vertices == null) {
            throw new IllegalStateException("the ComputationGraph is not initialised: call graph.init() before "
                    + "attaching dl4j-debug");
        }
        List<String> outputs = graph.getConfiguration().getNetworkOutputs();
        List<LayerInfo> infos = new ArrayList<>();
        Map<String, Layer> byName = new LinkedHashMap<>();
        int position = 0;
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[index];
            if (vertex.isInputVertex()) {
                continue;
            }
            String name = vertex.getVertexName();
            if (vertex.hasLayer()) {
                Layer impl = vertex.getLayer();
                boolean output = outputs.contains(name) && impl instanceof IOutputLayer;
                org.deeplearning4j.nn.conf.graph.GraphVertex vertexConf =
                        graph.getConfiguration().getVertices().get(name);
                org.deeplearning4j.nn.conf.layers.Layer conf = vertexConf instanceof LayerVertex
                        ? ((LayerVertex) vertexConf).getLayerConf().getLayer() : impl.conf().getLayer();
                infos.add(describeLayer(position, name, name, conf, impl, output));
                byName.put(name, impl);
            } else {
                infos.add(new LayerInfo(position, name, vertex.getClass().getSimpleName(), "none",
                        ActivationKind.NONE, List.of(), false, false, 1));
            }
            position++;
        }
        return new ModelView(graph, ModelKind.COMPUTATION_GRAPH, infos, byName);
    }

    /**
     * Describes one layer on its own, without its network: what DL4J-instantiated code such as the layer wrappers
     * can know. Name, type, activation and unit axis are as {@link #layers()} reports them; the parameter list is
     * empty because the flat gradient keys depend on the network type.
     *
     * @param position the layer's index (MultiLayerNetwork) or vertex index (ComputationGraph)
     * @param name     the layer's name
     * @param impl     the layer implementation (wrappers are looked through)
     * @return its description, marked as not an output layer
     */
    public static LayerInfo describeStandalone(int position, String name, Layer impl) {
        LayerInfo full = describeLayer(position, name, name, impl.conf().getLayer(), impl, false);
        return new LayerInfo(full.position(), full.name(), full.type(), full.activation(), full.activationKind(),
                List.of(), false, true, full.unitAxis());
    }

    private static LayerInfo describeLayer(int position, String name, String flatPrefix,
                                           org.deeplearning4j.nn.conf.layers.Layer conf, Layer impl, boolean output) {
        boolean frozen = false;
        org.deeplearning4j.nn.conf.layers.Layer inner = conf;
        // Frozen layers and other wrappers: describe what they wrap, remember that it is frozen.
        while (true) {
            if (inner instanceof FrozenLayer) {
                frozen = true;
                inner = ((FrozenLayer) inner).getLayer();
            } else if (inner instanceof BaseWrapperLayer) {
                frozen |= inner instanceof FrozenLayerWithBackprop;
                inner = ((BaseWrapperLayer) inner).getUnderlying();
            } else {
                break;
            }
        }
        String activation = activationName(inner);
        List<ParameterInfo> params = new ArrayList<>();
        Map<String, INDArray> table = impl.paramTable();
        if (table != null) {
            for (Map.Entry<String, INDArray> e : table.entrySet()) {
                ParameterRole role;
                if (frozen) {
                    role = ParameterRole.FROZEN;
                } else if (inner instanceof BatchNormalization && BATCH_NORM_RUNNING_STATS.contains(e.getKey())) {
                    role = ParameterRole.RUNNING_STATISTIC;
                } else {
                    role = ParameterRole.TRAINABLE;
                }
                params.add(new ParameterInfo(name, e.getKey(), flatPrefix + "_" + e.getKey(), role,
                        e.getValue().length()));
            }
        }
        return new LayerInfo(position, name, inner.getClass().getSimpleName(), activation,
                ActivationKind.classify(activation), params, output, true, unitAxis(inner));
    }

    /**
     * The activation the layer applies. BatchNormalization and DropoutLayer carry an activation in their
     * configuration (DL4J's default, sigmoid, unless set) but never apply it: their output is the normalized or
     * dropped-out input, so they count as having none (otherwise a BatchNorm output would be judged as a sigmoid's).
     */
    private static String activationName(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof BatchNormalization || conf instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer) {
            return "none";
        }
        Object fn = null;
        if (conf instanceof BaseLayer) {
            fn = ((BaseLayer) conf).getActivationFn();
        } else if (conf instanceof ActivationLayer) {
            fn = ((ActivationLayer) conf).getActivationFn();
        }
        return fn == null ? "none" : fn.toString();
    }

    private static int unitAxis(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof ConvolutionLayer && ((ConvolutionLayer) conf).getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            return 3;
        }
        if (conf instanceof BatchNormalization && ((BatchNormalization) conf).getCnn2DFormat() == CNN2DFormat.NHWC) {
            return 3;
        }
        if (conf instanceof BaseRecurrentLayer && ((BaseRecurrentLayer) conf).getRnnDataFormat() == RNNFormat.NWC) {
            return 2;
        }
        return 1;
    }

    /** @return the network this view reads */
    public Model model() {
        return model;
    }

    /** @return which of the two network types it is */
    public ModelKind kind() {
        return kind;
    }

    /** @return every layer and (for a graph) parameter-free vertex, in topological order, inputs excluded */
    public List<LayerInfo> layers() {
        return layers;
    }

    /** @return every parameter array of every layer, in topological order */
    public List<ParameterInfo> parameters() {
        return parameters;
    }

    /**
     * @return every parameter array of every layer in the order backprop computes their gradients: layers in reverse
     *         topological order (output side first), DL4J's keys within a layer in their usual order
     */
    public List<ParameterInfo> parametersInBackwardOrder() {
        return parametersInBackwardOrder;
    }

    /**
     * @param name a layer or vertex name
     * @return the layer with that name
     */
    public Optional<LayerInfo> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * The live parameter array (a view of the network's flattened parameters).
     *
     * @param parameter one of {@link #parameters()}
     * @return the array; it changes in place as the network trains
     */
    public INDArray parameterArray(ParameterInfo parameter) {
        Layer impl = implementations.get(parameter.layer());
        if (impl == null) {
            throw new IllegalArgumentException("no layer named '" + parameter.layer() + "' in this network");
        }
        return impl.getParam(parameter.key());
    }

    /**
     * The gradient array DL4J currently holds for a parameter: the raw gradient (a sum over the minibatch) in
     * {@code onGradientCalculation}/{@code onBackwardPass}, the applied update in {@code iterationDone}.
     *
     * @param parameter one of {@link #parameters()}
     * @return the array, or empty when DL4J holds no gradient for it
     */
    public Optional<INDArray> gradientArray(ParameterInfo parameter) {
        if (model.gradient() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(model.gradient().gradientForVariable().get(parameter.flatKey()));
    }

    /** @return the flattened parameter vector of the whole network (a live view) */
    public INDArray flatParameters() {
        return model.params();
    }

    /** @return the flattened gradient vector of the whole network (a live view), or empty before the first fit */
    public Optional<INDArray> flatGradient() {
        return Optional.ofNullable(model.getGradientsViewArray());
    }

    /** @return the number of examples in the minibatch the network is fitting now */
    public int minibatchSize() {
        return model.batchSize();
    }

    /**
     * Pairs the activations that a MultiLayerNetwork hands to {@code onForwardPass} (input first, output layer
     * excluded) with their layers.
     *
     * @param activations the list DL4J passes to the listener
     * @return layer outputs in topological order
     */
    public List<LayerOutput> outputs(List<INDArray> activations) {
        requireKind(ModelKind.MULTI_LAYER_NETWORK);
        List<LayerOutput> result = new ArrayList<>();
        List<INDArray> masks = TimeMasks.current(model, implementations.values());
        for (int i = 0; i < layers.size() && i + 1 < activations.size(); i++) {
            INDArray a = activations.get(i + 1);
            if (a != null) {
                LayerInfo layer = layers.get(i);
                result.add(new LayerOutput(layer, a, TimeMasks.ofOutput(masks, a, layer.unitAxis())));
            }
        }
        return result;
    }

    /**
     * Pairs the activations that a ComputationGraph hands to {@code onForwardPass} (keyed by vertex name, inputs
     * included, output layers excluded) with their layers and vertices.
     *
     * @param activations the map DL4J passes to the listener
     * @return layer and vertex outputs in topological order
     */
    public List<LayerOutput> outputs(Map<String, INDArray> activations) {
        requireKind(ModelKind.COMPUTATION_GRAPH);
        List<LayerOutput> result = new ArrayList<>();
        List<INDArray> masks = TimeMasks.current(model, implementations.values());
        for (LayerInfo layer : layers) {
            INDArray a = activations.get(layer.name());
            if (a != null) {
                result.add(new LayerOutput(layer, a, TimeMasks.ofOutput(masks, a, layer.unitAxis())));
            }
        }
        return result;
    }

    /**
     * The network inputs inside the activations a MultiLayerNetwork hands to {@code onForwardPass}.
     *
     * @param activations the list DL4J passes to the listener
     * @return "input" mapped to the input features
     */
    public Map<String, INDArray> inputs(List<INDArray> activations) {
        requireKind(ModelKind.MULTI_LAYER_NETWORK);
        Map<String, INDArray> result = new LinkedHashMap<>();
        if (!activations.isEmpty() && activations.get(0) != null) {
            result.put("input", activations.get(0));
        }
        return result;
    }

    /**
     * The network inputs inside the activations a ComputationGraph hands to {@code onForwardPass}.
     *
     * @param activations the map DL4J passes to the listener
     * @return input name mapped to its features, in the configuration's order
     */
    public Map<String, INDArray> inputs(Map<String, INDArray> activations) {
        requireKind(ModelKind.COMPUTATION_GRAPH);
        Map<String, INDArray> result = new LinkedHashMap<>();
        for (String name : ((ComputationGraph) model).getConfiguration().getNetworkInputs()) {
            INDArray a = activations.get(name);
            if (a != null) {
                result.put(name, a);
            }
        }
        return result;
    }

    /**
     * The configuration object of a layer, as the network uses it at every step (for a wrapper or frozen layer: the
     * wrapped layer's). Changing fields such as the gradient normalization takes effect at the next update.
     *
     * @param name a layer name (vertices without a layer have none)
     * @return the layer's configuration
     */
    public Optional<org.deeplearning4j.nn.conf.layers.Layer> layerConfiguration(String name) {
        Layer impl = implementations.get(name);
        if (impl == null || impl.conf() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(innermost(impl.conf().getLayer()));
    }

    /**
     * @param conf a layer configuration, or null
     * @return the innermost configuration inside frozen layers and wrappers (such as dl4j-debug's own), or null
     */
    public static org.deeplearning4j.nn.conf.layers.Layer innermost(org.deeplearning4j.nn.conf.layers.Layer conf) {
        org.deeplearning4j.nn.conf.layers.Layer inner = conf;
        while (true) {
            if (inner instanceof FrozenLayer) {
                inner = ((FrozenLayer) inner).getLayer();
            } else if (inner instanceof BaseWrapperLayer) {
                inner = ((BaseWrapperLayer) inner).getUnderlying();
            } else {
                return inner;
            }
        }
    }

    /**
     * The mean inference-mode loss over every example an iterator returns ({@link #score} per minibatch, weighted by
     * its examples), regularization terms included. Resets the iterator first when it supports that.
     *
     * @param data the examples; must be resettable to be read more than once
     * @return the mean loss per example
     * @throws IllegalStateException when the iterator returned no examples (the message says it must be resettable)
     */
    public double meanScore(org.nd4j.linalg.dataset.api.iterator.DataSetIterator data) {
        if (data.resetSupported()) {
            data.reset();
        }
        double sum = 0;
        long examples = 0;
        while (data.hasNext()) {
            org.nd4j.linalg.dataset.DataSet ds = data.next();
            int n = ds.numExamples();
            sum += score(ds) * n;
            examples += n;
        }
        if (examples == 0) {
            throw new IllegalStateException("the evaluation iterator returned no examples; it must be resettable "
                    + "(resetSupported() == true) to be read again at every epoch end");
        }
        return sum / examples;
    }

    /**
     * The loss on a dataset in inference mode (no dropout), regularization terms included, as DL4J's
     * {@code score(DataSet)} computes it.
     *
     * @param data features and labels (for a graph: single input and output)
     * @return the loss
     */
    public double score(org.nd4j.linalg.dataset.DataSet data) {
        return NetworkOps.of(model).score(data, false);
    }

    /** @return the L1/L2/weight-decay part of DL4J's score for the current parameters */
    public double regularizationScore() {
        return NetworkOps.of(model).regularizationScore();
    }

    /** @return the number of parameters of the network (all of them, frozen and running statistics included) */
    public long numParams() {
        return model.numParams();
    }

    /** @return the name of the first output layer (where the score is computed) */
    public String outputLayerName() {
        for (LayerInfo layer : layers) {
            if (layer.outputLayer()) {
                return layer.name();
            }
        }
        return layers.isEmpty() ? "output" : layers.get(layers.size() - 1).name();
    }

    /**
     * Adds listeners to the network (after those it already has).
     *
     * @param listeners the listeners to add
     */
    public void addListeners(TrainingListener... listeners) {
        if (model instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) model).addListeners(listeners);
        } else {
            ((ComputationGraph) model).addListeners(listeners);
        }
    }

    private void requireKind(ModelKind expected) {
        if (kind != expected) {
            throw new IllegalStateException("this view is of a " + kind + ", not a " + expected);
        }
    }

    /**
     * One layer's output array as handed to a listener; valid only inside the callback.
     *
     * @param layer the layer that produced it
     * @param array its output (a workspace array: do not keep a reference)
     * @param mask  the time-step mask of a recurrent output ({@code [minibatch, time]}, 1 for a real step, 0 for
     *              padding) as DL4J holds it for this minibatch (see {@code TimeMasks}); null when the output has
     *              no time axis or the minibatch no mask
     */
    public record LayerOutput(LayerInfo layer, INDArray array, INDArray mask) {
        /** Checks that layer and array are present. */
        public LayerOutput {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(array, "array");
        }

        /**
         * An output without a mask.
         *
         * @param layer the layer that produced it
         * @param array its output
         */
        public LayerOutput(LayerInfo layer, INDArray array) {
            this(layer, array, null);
        }
    }
}
