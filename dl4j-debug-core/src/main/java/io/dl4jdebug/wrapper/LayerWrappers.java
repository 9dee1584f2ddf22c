package io.dl4jdebug.wrapper;

import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Adds and removes {@link ProbedLayer} wrappers, on configurations and on initialised networks.
 *
 * <p>Every layer is wrapped except: output and loss layers (DL4J requires the final layer to be an
 * {@code IOutputLayer}; the output layer is covered by the score and its parameter gradients) and every network
 * output of a graph; layers that are already wrapped ({@code FrozenLayer}, {@code FrozenLayerWithBackprop} and other {@code BaseWrapperLayer}s;
 * existing {@link ProbedLayer}s are re-pointed at the given session). Graph vertices without a layer (merge,
 * element-wise add) are not layers and are not wrapped. Recurrent layers ({@code LSTM}, {@code SimpleRnn},
 * {@code Bidirectional}) are wrapped by {@link ProbedRecurrentLayerImpl}, which is itself a {@code RecurrentLayer}
 * (DL4J's truncated BPTT and {@code rnnTimeStep} test {@code instanceof RecurrentLayer}); a recurrent layer inside
 * {@code LastTimeStep} is already wrapped and stays as it is (the listeners still measure it). Parameter keys, parameter order and updater state layout
 * stay exactly as they were.
 *
 * <p>The network methods return a <em>new</em> network with a copy of the parameters and of the updater state, the
 * same iteration and epoch counts and the same listeners; the argument is left unchanged. Stateless.
 */
public final class LayerWrappers {

    private LayerWrappers() {
    }

    /**
     * Why a layer configuration cannot be wrapped.
     *
     * @param layer a layer configuration
     * @return the reason, or null when it can be wrapped
     */
    static String refusal(Layer layer) {
        if (layer == null) {
            return "the layer is null";
        }
        if (layer instanceof BaseOutputLayer || layer instanceof LossLayer || layer instanceof RnnLossLayer
                || layer instanceof CnnLossLayer || layer instanceof Cnn3DLossLayer
                || layer instanceof Yolo2OutputLayer || layer instanceof SameDiffOutputLayer) {
            return "it is an output layer (DL4J requires the final layer to be an IOutputLayer; it is covered by the "
                    + "score and its parameter gradients)";
        }
        if (layer instanceof BaseWrapperLayer || layer instanceof FrozenLayer) {
            return "it is already wrapped (" + layer.getClass().getSimpleName() + ")";
        }
        return null;
    }

    /**
     * @param layer a layer configuration
     * @return true when {@link ProbedLayer} can wrap it
     */
    public static boolean isWrappable(Layer layer) {
        return refusal(layer) == null;
    }

    /**
     * Wraps every wrappable layer of a configuration.
     *
     * @param conf      the configuration (left unchanged)
     * @param sessionId the probe session the wrappers report to
     * @return a wrapped copy
     */
    public static MultiLayerConfiguration wrap(MultiLayerConfiguration conf, String sessionId) {
        Objects.requireNonNull(conf, "conf must not be null");
        String id = requireId(sessionId);
        return transform(conf, l -> wrapOne(l, id));
    }

    /**
     * Wraps every wrappable layer of a graph configuration that is not a network output.
     *
     * @param conf      the configuration (left unchanged)
     * @param sessionId the probe session the wrappers report to
     * @return a wrapped copy
     */
    public static ComputationGraphConfiguration wrap(ComputationGraphConfiguration conf, String sessionId) {
        Objects.requireNonNull(conf, "conf must not be null");
        String id = requireId(sessionId);
        return transform(conf, l -> wrapOne(l, id));
    }

    /**
     * Removes every {@link ProbedLayer} of a configuration.
     *
     * @param conf the configuration (left unchanged)
     * @return an unwrapped copy
     */
    public static MultiLayerConfiguration unwrap(MultiLayerConfiguration conf) {
        Objects.requireNonNull(conf, "conf must not be null");
        return transform(conf, LayerWrappers::unwrapOne);
    }

    /**
     * Removes every {@link ProbedLayer} of a graph configuration.
     *
     * @param conf the configuration (left unchanged)
     * @return an unwrapped copy
     */
    public static ComputationGraphConfiguration unwrap(ComputationGraphConfiguration conf) {
        Objects.requireNonNull(conf, "conf must not be null");
        return transform(conf, LayerWrappers::unwrapOne);
    }

    /**
     * Wraps an initialised network, keeping its parameters and updater state.
     *
     * @param net       the network (left unchanged)
     * @param sessionId the probe session the wrappers report to
     * @return a new, initialised, wrapped network
     */
    public static MultiLayerNetwork wrap(MultiLayerNetwork net, String sessionId) {
        requireInitialised(net);
        return rebuild(net, wrap(net.getLayerWiseConfigurations(), sessionId));
    }

    /**
     * Wraps an initialised graph, keeping its parameters and updater state.
     *
     * @param net       the graph (left unchanged)
     * @param sessionId the probe session the wrappers report to
     * @return a new, initialised, wrapped graph
     */
    public static ComputationGraph wrap(ComputationGraph net, String sessionId) {
        requireInitialised(net);
        return rebuild(net, wrap(net.getConfiguration(), sessionId));
    }

    /**
     * Removes the wrappers of an initialised network, keeping its parameters and updater state.
     *
     * @param net the network (left unchanged)
     * @return a new, initialised network without wrappers
     */
    public static MultiLayerNetwork unwrap(MultiLayerNetwork net) {
        requireInitialised(net);
        return rebuild(net, unwrap(net.getLayerWiseConfigurations()));
    }

    /**
     * Removes the wrappers of an initialised graph, keeping its parameters and updater state.
     *
     * @param net the graph (left unchanged)
     * @return a new, initialised graph without wrappers
     */
    public static ComputationGraph unwrap(ComputationGraph net) {
        requireInitialised(net);
        return rebuild(net, unwrap(net.getConfiguration()));
    }

    /**
     * Names of the wrapped layers of a network, in topological order.
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @return the names, empty when nothing is wrapped
     */
    public static List<String> wrappedLayers(Model model) {
        List<String> names = new ArrayList<>();
        for (ProbedLayerImpl impl : probedLayers(model)) {
            names.add(impl.layerName());
        }
        return names;
    }

    /**
     * Points every wrapper of a network (its configuration and its live layers) at a probe session.
     *
     * @param model     an initialised MultiLayerNetwork or ComputationGraph
     * @param sessionId the session id
     * @return how many wrappers were re-pointed
     */
    public static int bind(Model model, String sessionId) {
        String id = requireId(sessionId);
        int n = 0;
        for (ProbedLayerImpl impl : probedLayers(model)) {
            impl.wrapperConf().setSessionId(id);
            n++;
        }
        for (Layer conf : layerConfigurations(model)) {
            if (conf instanceof ProbedLayer) {
                ((ProbedLayer) conf).setSessionId(id);
            }
        }
        return n;
    }

    private static Layer wrapOne(Layer layer, String id) {
        if (layer instanceof ProbedLayer) {
            ((ProbedLayer) layer).setSessionId(id);
            return layer;
        }
        return isWrappable(layer) ? new ProbedLayer(layer, id) : layer;
    }

    private static Layer unwrapOne(Layer layer) {
        return layer instanceof ProbedLayer ? ((ProbedLayer) layer).getUnderlying() : layer;
    }

    private static MultiLayerConfiguration transform(MultiLayerConfiguration conf, UnaryOperator<Layer> op) {
        MultiLayerConfiguration copy = conf.clone();
        for (NeuralNetConfiguration layerConf : copy.getConfs()) {
            layerConf.setLayer(op.apply(layerConf.getLayer()));
        }
        return copy;
    }

    private static ComputationGraphConfiguration transform(ComputationGraphConfiguration conf,
                                                           UnaryOperator<Layer> op) {
        ComputationGraphConfiguration copy = conf.clone();
        copy.setIterationCount(conf.getIterationCount());
        copy.setEpochCount(conf.getEpochCount());
        List<String> outputs = copy.getNetworkOutputs();
        for (Map.Entry<String, GraphVertex> e : copy.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex && !outputs.contains(e.getKey())) {
                NeuralNetConfiguration layerConf = ((LayerVertex) e.getValue()).getLayerConf();
                layerConf.setLayer(op.apply(layerConf.getLayer()));
            }
        }
        return copy;
    }

    private static MultiLayerNetwork rebuild(MultiLayerNetwork net, MultiLayerConfiguration conf) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            MultiLayerNetwork out = new MultiLayerNetwork(conf);
            out.init(net.params().dup(), false);
            Updater updater = net.getUpdater(false);
            if (updater != null && updater.getStateViewArray() != null) {
                out.getUpdater(true).getStateViewArray().assign(updater.getStateViewArray());
            }
            out.setListeners(new ArrayList<>(net.getListeners()));
            return out;
        }
    }

    private static ComputationGraph rebuild(ComputationGraph net, ComputationGraphConfiguration conf) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ComputationGraph out = new ComputationGraph(conf);
            out.init(net.params().dup(), false);
            ComputationGraphUpdater updater = net.getUpdater(false);
            if (updater != null && updater.getStateViewArray() != null) {
                INDArray state = out.getUpdater(true).getStateViewArray();
                state.assign(updater.getStateViewArray());
            }
            out.setListeners(new ArrayList<>(net.getListeners()));
            return out;
        }
    }

    private static List<ProbedLayerImpl> probedLayers(Model model) {
        ModelView view = ModelView.of(model);
        List<ProbedLayerImpl> result = new ArrayList<>();
        for (LayerInfo info : view.layers()) {
            if (!info.hasLayer()) {
                continue;
            }
            org.deeplearning4j.nn.api.Layer impl = model instanceof MultiLayerNetwork
                    ? ((MultiLayerNetwork) model).getLayer(info.position())
                    : ((ComputationGraph) model).getLayer(info.name());
            if (impl instanceof ProbedRecurrentLayerImpl r) {
                result.add(r.probed());
            } else if (impl instanceof ProbedLayerImpl) {
                result.add((ProbedLayerImpl) impl);
            }
        }
        return result;
    }

    private static List<Layer> layerConfigurations(Model model) {
        List<Layer> result = new ArrayList<>();
        if (model instanceof MultiLayerNetwork) {
            for (NeuralNetConfiguration c : ((MultiLayerNetwork) model).getLayerWiseConfigurations().getConfs()) {
                result.add(c.getLayer());
            }
        } else if (model instanceof ComputationGraph) {
            for (GraphVertex v : ((ComputationGraph) model).getConfiguration().getVertices().values()) {
                if (v instanceof LayerVertex) {
                    result.add(((LayerVertex) v).getLayerConf().getLayer());
                }
            }
        }
        return result;
    }

    static java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener> listeners(Model model) {
        ModelView.requireSupported(model);
        return model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getListeners()
                : ((ComputationGraph) model).getListeners();
    }

    private static void requireInitialised(Model net) {
        Objects.requireNonNull(net, "net must not be null");
        boolean initialised = net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).getLayers() != null
                : ((ComputationGraph) net).getVertices() != null;
        if (!initialised) {
            throw new IllegalStateException("the network is not initialised: call net.init() before wrapping it");
        }
    }

    private static String requireId(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("sessionId must be a non-blank string but was '" + sessionId
                    + "'; use ProbeSession.id()");
        }
        return sessionId;
    }
}
