package io.dl4jdebug.preflight.check;

import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.NetworkOps;
import io.dl4jdebug.model.ParameterInfo;
import io.dl4jdebug.preflight.ChecklistConfig;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What several checks of one checklist run read: the configuration, the network (as {@link NetworkOps} and
 * {@link ModelView}), its layer configurations, the data scans, the first training minibatch, the forward pass on it
 * and the gradient of every trainable parameter. Each measurement is computed on first use, once, on a copy of the
 * network; a measurement that throws rethrows the same exception to every check that asks for it. Not thread safe.
 */
public final class CheckContext {

    private final ChecklistConfig config;
    private final NetworkOps ops;
    private final DataSetIterator train;
    private final DataSetIterator validation;
    private final DataScan.Projector projector;
    private final Lazy<Map<String, Layer>> confs;
    private final Lazy<DataScan> trainScan;
    private final Lazy<OutputSetup> outputSetup;
    private final Lazy<Forward> forward;
    private final Lazy<Map<ParameterInfo, Double>> gradientNorms;

    /**
     * @param config     thresholds and options
     * @param ops        the user's network (never modified)
     * @param train      the training data
     * @param validation the validation data, or null
     */
    public CheckContext(ChecklistConfig config, NetworkOps ops, DataSetIterator train, DataSetIterator validation) {
        this.config = Objects.requireNonNull(config, "config");
        this.ops = Objects.requireNonNull(ops, "ops");
        this.train = Objects.requireNonNull(train, "train");
        this.validation = validation;
        this.projector = new DataScan.Projector(config.seed());
        this.confs = new Lazy<>(ops::layerConfigurations);
        this.trainScan = new Lazy<>(() -> DataScan.scan(train, config.maxBatches(), config.labelTolerance(),
                validation == null ? null : projector));
        this.outputSetup = new Lazy<>(this::findOutputSetup);
        this.forward = new Lazy<>(this::runForward);
        this.gradientNorms = new Lazy<>(this::measureGradients);
    }

    /** @return the checklist's configuration */
    public ChecklistConfig config() {
        return config;
    }

    /** @return the user's network: copy it (ops.copy()) before training or computing gradients */
    public NetworkOps ops() {
        return ops;
    }

    /** @return the view over the user's network */
    public ModelView view() {
        return ops.view();
    }

    /** @return every layer's configuration by name, in topological order */
    public Map<String, Layer> layerConfigurations() {
        return confs.get();
    }

    /** @return the first training minibatch, or null when none could be read */
    public DataSet first() {
        return trainScan().first;
    }

    /** @return true when a validation iterator was given */
    public boolean hasValidation() {
        return validation != null;
    }

    /** @return the scan of the training iterator's first minibatches (scanned on first use) */
    DataScan trainScan() {
        return trainScan.get();
    }

    /** @return a scan of the validation iterator with the training scan's projections, or null without one */
    DataScan scanValidation() {
        return validation == null ? null
                : DataScan.scan(validation, config.maxBatches(), config.labelTolerance(), projector);
    }

    /** @return the output layer's setup, or null when the network has no output layer configuration */
    OutputSetup outputSetup() {
        return outputSetup.get();
    }

    /**
     * @return the forward pass of a copy on the first minibatch: null when there is no minibatch or the network does
     *         not have exactly one input and one output
     */
    Forward forward() {
        return forward.get();
    }

    /** @return true when the forward pass ran and its output has the labels' shape */
    public boolean forwardOk() {
        Forward f = forward();
        return f != null && f.error() == null && f.matchesLabels();
    }

    /**
     * The L2 norm of every trainable parameter's gradient on the first minibatch, from one backward pass of a copy.
     * Needs {@link #forwardOk()}.
     *
     * @return parameter to gradient norm, in the network's parameter order
     */
    public Map<ParameterInfo, Double> gradientNorms() {
        return gradientNorms.get();
    }

    /** @return the flat keys of the trainable parameters whose gradient is exactly zero */
    public Set<String> missingGradients() {
        return gradientNorms().entrySet().stream().filter(e -> e.getValue() == 0.0).map(e -> e.getKey().flatKey())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private OutputSetup findOutputSetup() {
        for (LayerInfo layer : view().layers()) {
            if (layer.outputLayer()) {
                Layer conf = layerConfigurations().get(layer.name());
                if (conf != null) {
                    IActivation activation = LayerConfs.activation(conf).orElse(null);
                    long nOut = LayerConfs.nOut(conf);
                    // a parameterless loss layer after the layer that computes the output (DL4J's Keras import
                    // turns Dense(softmax) + a compiled loss into DenseLayer(softmax) + LossLayer(identity)): the
                    // output's activation and width are the feeding layer's
                    boolean identity = activation == null || activation instanceof ActivationIdentity;
                    Layer feeding = isLossOnly(conf) && identity ? feedingLayer(layer.name()) : null;
                    if (feeding != null) {
                        activation = LayerConfs.activation(feeding).orElse(activation);
                        nOut = nOut > 0 ? nOut : LayerConfs.nOut(feeding);
                    }
                    return new OutputSetup(layer.name(), activation, LayerConfs.loss(conf).orElse(null), nOut);
                }
            }
        }
        return null;
    }

    private static boolean isLossOnly(Layer conf) {
        return conf instanceof LossLayer || conf instanceof RnnLossLayer || conf instanceof CnnLossLayer;
    }

    /** @return the configuration of the one layer that feeds the named one, null when it is not a single layer */
    private Layer feedingLayer(String name) {
        java.util.List<String> inputs = ops.vertexInputs().get(name);
        return inputs == null || inputs.size() != 1 ? null : layerConfigurations().get(inputs.get(0));
    }

    private Forward runForward() {
        DataSet first = first();
        if (first == null || ops.inputCount() != 1 || ops.outputCount() != 1) {
            return null;
        }
        long[] labelShape = first.getLabels() == null ? null : first.getLabels().shape();
        INDArray out;
        try {
            out = ops.copy().output(first.getFeatures());
        } catch (RuntimeException e) {
            return new Forward(null, labelShape, e, false);
        }
        long[] outShape = out.shape();
        OutputSetup setup = outputSetup();
        boolean sparse = setup != null && setup.loss() instanceof LossSparseMCXENT;
        boolean matches = labelShape == null || (sparse ? labelShape[0] == outShape[0]
                : Arrays.equals(outShape, labelShape));
        return new Forward(out, labelShape, null, matches);
    }

    private Map<ParameterInfo, Double> measureGradients() {
        if (!forwardOk()) {
            throw new IllegalStateException("gradients need a working forward pass on the first minibatch "
                    + "(see model.forward)");
        }
        NetworkOps copy = ops.copy();
        copy.computeGradient(first());
        ModelView copyView = copy.view();
        Map<ParameterInfo, Double> norms = new LinkedHashMap<>();
        for (ParameterInfo p : copyView.parameters()) {
            if (p.isTrainable() && p.length() > 0) {
                norms.put(p, copyView.gradientArray(p).map(g -> g.norm2Number().doubleValue()).orElse(0.0));
            }
        }
        return Collections.unmodifiableMap(norms);
    }

    /**
     * The forward pass of a copy on the first minibatch.
     *
     * @param output        the output, null when it threw
     * @param labelShape    the labels' shape, null without labels
     * @param error         what the forward pass threw, or null
     * @param matchesLabels whether the output fits the labels (batch size only for sparse labels)
     */
    record Forward(INDArray output, long[] labelShape, RuntimeException error, boolean matchesLabels) {
    }

    /** A value computed on first use; a computation that threw rethrows the same exception. */
    private static final class Lazy<T> {
        private final Supplier<T> supplier;
        private boolean done;
        private T value;
        private RuntimeException error;

        Lazy(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (!done) {
                try {
                    value = supplier.get();
                } catch (RuntimeException e) {
                    error = e;
                }
                done = true;
            }
            if (error != null) {
                throw error;
            }
            return value;
        }
    }
}
