package io.dl4jdebug.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.UpdaterCreator;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operations that preflight checks run on a network, whatever its type: copy it, fit it on one minibatch, score
 * it, run it forward, compute one gradient, read its configuration. It is, with {@link ModelView}, the only place
 * that tells {@link MultiLayerNetwork} and {@link ComputationGraph} apart. The networks it hands out are copies
 * unless the method says otherwise. Not thread safe.
 */
public final class NetworkOps {

    private final Model model;

    private NetworkOps(Model model) {
        this.model = model;
    }

    /**
     * @param model an initialised {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @return the operations on it
     * @throws UnsupportedModelException for any other model type
     */
    public static NetworkOps of(Model model) {
        ModelView.requireSupported(model);
        return new NetworkOps(model);
    }

    /**
     * The input type a minibatch of features implies.
     *
     * @param features a minibatch of features
     * @return feed-forward for [b, n], recurrent for [b, n, t], convolutional NCHW for [b, c, h, w]
     * @throws IllegalArgumentException for other ranks
     */
    public static InputType inputTypeOf(INDArray features) {
        long[] s = features.shape();
        switch (s.length) {
            case 2:
                return InputType.feedForward(s[1]);
            case 3:
                return InputType.recurrent(s[1], s[2]);
            case 4:
                return InputType.convolutional(s[2], s[3], s[1]);
            default:
                throw new IllegalArgumentException("features of rank " + s.length + " (shape "
                        + java.util.Arrays.toString(s) + ") are not supported; valid: rank 2, 3 or 4");
        }
    }

    /** @return the network these operations act on */
    public Model model() {
        return model;
    }

    /** @return the kind of network */
    public ModelKind kind() {
        return model instanceof MultiLayerNetwork ? ModelKind.MULTI_LAYER_NETWORK : ModelKind.COMPUTATION_GRAPH;
    }

    /** @return a deep copy: configuration, parameters and updater state; the original is never touched */
    public NetworkOps copy() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (model instanceof MultiLayerNetwork) {
                // MultiLayerNetwork.clone() does not carry the listeners over.
                return new NetworkOps(((MultiLayerNetwork) model).clone());
            }
            return new NetworkOps(copyGraph((ComputationGraph) model));
        }
    }

    /**
     * ComputationGraph.clone() in DL4J 1.0.0-M2.1 hands the copy the SAME listener collection, so listeners of the
     * user's graph would see the copy train, and clearing the copy's listeners would clear the user's. This copy
     * mirrors clone() without the listeners.
     */
    private static ComputationGraph copyGraph(ComputationGraph original) {
        ComputationGraph copy = new ComputationGraph(original.getConfiguration().clone());
        copy.init(original.params().dup(), false);
        ComputationGraphUpdater originalUpdater = original.getUpdater(false);
        if (originalUpdater != null && originalUpdater.getStateViewArray() != null) {
            copy.getUpdater(true).setStateViewArray(originalUpdater.getStateViewArray().dup());
        }
        for (GraphVertex vertex : original.getVertices()) {
            if (vertex.hasLayer() && vertex.getLayer() instanceof org.deeplearning4j.nn.layers.FrozenLayer) {
                copy.getVertex(vertex.getVertexName()).setLayerAsFrozen();
            }
        }
        return copy;
    }

    /** @return the view of this network */
    public ModelView view() {
        return ModelView.of(model);
    }

    /**
     * One training step on one minibatch (no epoch callbacks).
     *
     * @param batch the minibatch
     */
    public void fit(DataSet batch) {
        if (model instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) model).fit(batch);
        } else {
            ((ComputationGraph) model).fit(batch);
        }
    }

    /**
     * The loss on a dataset, regularization included, as DL4J computes it.
     *
     * @param data     features and labels
     * @param training true to score in training mode (dropout, batch statistics), false for inference mode
     * @return the score
     */
    public double score(DataSet data, boolean training) {
        if (model instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) model).score(data, training);
        }
        return ((ComputationGraph) model).score(data, training);
    }

    /**
     * @param data features and labels
     * @return the inference-mode loss on them without the regularization terms: what the data costs the network
     */
    public double dataLoss(DataSet data) {
        return score(data, false) - regularizationScore();
    }

    /** @return the regularization part of the score (L1, L2, weight decay) for the current parameters */
    public double regularizationScore() {
        if (model instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) model).calcRegularizationScore(true);
        }
        return ((ComputationGraph) model).calcRegularizationScore(true);
    }

    /**
     * Runs the network forward in inference mode.
     *
     * @param features the input (first network input for a graph)
     * @return the output of the (first) output layer, detached from any workspace
     */
    public INDArray output(INDArray features) {
        if (model instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) model).output(features, false);
        }
        return ((ComputationGraph) model).output(false, features)[0];
    }

    /**
     * Runs the network forward in inference mode and keeps every layer's (and graph vertex's) output.
     *
     * @param features the input (first network input for a graph)
     * @return layer or vertex name to its output, detached from any workspace; MultiLayerNetwork layers without a
     *         name are keyed by their index, as in {@link #layerConfigurations()}
     */
    public Map<String, INDArray> activations(INDArray features) {
        if (model instanceof MultiLayerNetwork) {
            List<INDArray> all = ((MultiLayerNetwork) model).feedForward(features, false);
            Map<String, INDArray> result = new LinkedHashMap<>();
            int i = 1;
            for (String name : layerConfigurations().keySet()) {
                if (i < all.size()) {
                    result.put(name, all.get(i++));
                }
            }
            return result;
        }
        return new LinkedHashMap<>(((ComputationGraph) model).feedForward(features, false));
    }

    /**
     * The inputs of every layer and graph vertex, in topological order: a MultiLayerNetwork is a chain from
     * {@code "input"} through its layers (keyed as in {@link #layerConfigurations()}).
     *
     * @return vertex name to the names of the vertices (or network inputs) it reads
     */
    public Map<String, List<String>> vertexInputs() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork) {
            String previous = "input";
            for (String name : layerConfigurations().keySet()) {
                result.put(name, List.of(previous));
                previous = name;
            }
            return result;
        }
        ComputationGraph graph = (ComputationGraph) model;
        Map<String, List<String>> inputs = graph.getConfiguration().getVertexInputs();
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (inputs.containsKey(name)) {
                result.put(name, List.copyOf(inputs.get(name)));
            }
        }
        return result;
    }

    /**
     * @param name a vertex name
     * @return the graph vertex configuration of a ComputationGraph vertex (a layer's is a {@code LayerVertex});
     *         empty for a MultiLayerNetwork or an unknown name
     */
    public java.util.Optional<org.deeplearning4j.nn.conf.graph.GraphVertex> vertexConfiguration(String name) {
        if (model instanceof MultiLayerNetwork) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(((ComputationGraph) model).getConfiguration().getVertices().get(name));
    }

    /**
     * Computes the raw gradient (a sum over the minibatch) and the score of one minibatch, without updating.
     *
     * @param batch the minibatch
     * @return the score
     */
    public double computeGradient(DataSet batch) {
        if (model instanceof MultiLayerNetwork) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
            net.computeGradientAndScore();
            return net.score();
        }
        ComputationGraph graph = (ComputationGraph) model;
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        if (batch.hasMaskArrays()) {
            graph.setLayerMaskArrays(batch.getFeaturesMaskArray() == null ? null
                            : new INDArray[]{batch.getFeaturesMaskArray()},
                    batch.getLabelsMaskArray() == null ? null : new INDArray[]{batch.getLabelsMaskArray()});
        }
        graph.computeGradientAndScore();
        return graph.score();
    }

    /**
     * Turns the raw gradient of {@link #computeGradient} into the network's update in place, as training would (divide
     * by the minibatch size, add regularization, apply the updater). With a NoOp updater the result is the gradient of
     * the averaged score.
     *
     * @param minibatchSize the number of examples of the minibatch
     */
    public void applyUpdaterToGradient(int minibatchSize) {
        Gradient gradient = model.gradient();
        if (model instanceof MultiLayerNetwork) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            Updater updater = UpdaterCreator.getUpdater(net);
            updater.update(net, gradient, 0, 0, minibatchSize, LayerWorkspaceMgr.noWorkspaces());
        } else {
            new ComputationGraphUpdater((ComputationGraph) model)
                    .update(gradient, 0, 0, minibatchSize, LayerWorkspaceMgr.noWorkspaces());
        }
    }

    /**
     * The configuration of every layer (not of parameter-free graph vertices), by layer name in topological order.
     * MultiLayerNetwork layers without a name are keyed by their index, as in {@link ModelView}.
     *
     * @return name to layer configuration
     */
    public Map<String, Layer> layerConfigurations() {
        Map<String, Layer> result = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork) {
            List<NeuralNetConfiguration> confs = ((MultiLayerNetwork) model).getLayerWiseConfigurations().getConfs();
            for (int i = 0; i < confs.size(); i++) {
                Layer layer = confs.get(i).getLayer();
                result.put(layer.getLayerName() != null ? layer.getLayerName() : String.valueOf(i), layer);
            }
            return result;
        }
        ComputationGraph graph = (ComputationGraph) model;
        Map<String, org.deeplearning4j.nn.conf.graph.GraphVertex> vertices = graph.getConfiguration().getVertices();
        for (int index : graph.topologicalSortOrder()) {
            GraphVertex vertex = graph.getVertices()[index];
            org.deeplearning4j.nn.conf.graph.GraphVertex conf = vertices.get(vertex.getVertexName());
            if (conf instanceof LayerVertex) {
                result.put(vertex.getVertexName(), ((LayerVertex) conf).getLayerConf().getLayer());
            }
        }
        return result;
    }

    /** @return the seed stored in the configuration (DL4J's default is the time the configuration was built) */
    public long configuredSeed() {
        if (model instanceof MultiLayerNetwork) {
            List<NeuralNetConfiguration> confs = ((MultiLayerNetwork) model).getLayerWiseConfigurations().getConfs();
            return confs.isEmpty() ? 0 : confs.get(0).getSeed();
        }
        return ((ComputationGraph) model).getConfiguration().getDefaultConfiguration().getSeed();
    }

    /** @return the data type of the parameters */
    public DataType dataType() {
        return model.params().dataType();
    }

    /** @return the number of network inputs (1 for a MultiLayerNetwork) */
    public int inputCount() {
        if (model instanceof MultiLayerNetwork) {
            return 1;
        }
        return ((ComputationGraph) model).getConfiguration().getNetworkInputs().size();
    }

    /** @return the number of network outputs (1 for a MultiLayerNetwork) */
    public int outputCount() {
        if (model instanceof MultiLayerNetwork) {
            return 1;
        }
        return ((ComputationGraph) model).getConfiguration().getNetworkOutputs().size();
    }

    /**
     * DL4J's memory estimate of the configuration for an input type.
     *
     * @param inputType the type of the (single) network input
     * @return the per-layer and per-vertex report
     */
    public NetworkMemoryReport memoryReport(InputType inputType) {
        Objects.requireNonNull(inputType, "inputType");
        if (model instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) model).getLayerWiseConfigurations().getMemoryReport(inputType);
        }
        return ((ComputationGraph) model).getConfiguration().getMemoryReport(inputType);
    }

    /**
     * The output type of every layer or vertex for an input type, in topological order.
     *
     * @param inputType the type of the (single) network input
     * @return name to output type
     */
    public Map<String, InputType> activationTypes(InputType inputType) {
        Objects.requireNonNull(inputType, "inputType");
        Map<String, InputType> result = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork) {
            MultiLayerConfiguration conf = ((MultiLayerNetwork) model).getLayerWiseConfigurations().clone();
            List<InputType> types = conf.getLayerActivationTypes(inputType);
            List<String> names = new ArrayList<>(layerConfigurations().keySet());
            for (int i = 0; i < types.size(); i++) {
                result.put(names.get(i), types.get(i));
            }
            return result;
        }
        ComputationGraphConfiguration conf = ((ComputationGraph) model).getConfiguration().clone();
        Map<String, InputType> types = conf.getLayerActivationTypes(false, false, inputType);
        ComputationGraph graph = (ComputationGraph) model;
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            if (!conf.getNetworkInputs().contains(name) && types.containsKey(name)) {
                result.put(name, types.get(name));
            }
        }
        return result;
    }

    /** @return the updater state (all layers, flattened), or null when the updater keeps none or was never created */
    public INDArray updaterState() {
        if (model instanceof MultiLayerNetwork) {
            Updater u = ((MultiLayerNetwork) model).getUpdater(true);
            return u == null ? null : u.getStateViewArray();
        }
        ComputationGraphUpdater u = ((ComputationGraph) model).getUpdater(true);
        return u == null ? null : u.getStateViewArray();
    }

    /**
     * A copy made for gradient checking: configuration and parameters in double precision, no dropout, no weight
     * noise, a NoOp updater on every layer. The ND4J default data type must already be DOUBLE when it is used.
     *
     * @return the copy
     */
    public NetworkOps doublePrecisionCopyForGradientCheck() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray params = model.params().castTo(DataType.DOUBLE);
            if (model instanceof MultiLayerNetwork) {
                MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(
                        ((MultiLayerNetwork) model).getLayerWiseConfigurations().toJson());
                conf.setDataType(DataType.DOUBLE);
                for (NeuralNetConfiguration c : conf.getConfs()) {
                    stripForGradientCheck(c.getLayer());
                }
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init(params, false);
                return new NetworkOps(net);
            }
            ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(
                    ((ComputationGraph) model).getConfiguration().toJson());
            conf.setDataType(DataType.DOUBLE);
            for (org.deeplearning4j.nn.conf.graph.GraphVertex v : conf.getVertices().values()) {
                if (v instanceof LayerVertex) {
                    stripForGradientCheck(((LayerVertex) v).getLayerConf().getLayer());
                }
            }
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init(params, false);
            return new NetworkOps(graph);
        }
    }

    private static void stripForGradientCheck(Layer layer) {
        layer.setIDropout(null);
        if (layer instanceof BaseLayer) {
            BaseLayer base = (BaseLayer) layer;
            base.setIUpdater(new NoOp());
            base.setBiasUpdater(null);
            base.setWeightNoise(null);
        }
        if (layer instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer) {
            stripForGradientCheck(((org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer) layer)
                    .getUnderlying());
        }
        if (layer instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer) {
            stripForGradientCheck(((org.deeplearning4j.nn.conf.layers.misc.FrozenLayer) layer).getLayer());
        }
    }
}
