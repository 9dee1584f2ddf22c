package io.dl4jdebug.repair;

import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies a {@link Remedy} to a cloned network configuration (never to the user's), leaving every other setting as it
 * is: the BatchNorm gamma or decay, the activation, the inits, the learning rate (a schedule is scaled, never
 * dropped: {@link ScaledSchedule}), the rate schedule's removal, an updater hyper-parameter, clipping, dropout,
 * regularization, the output's activation/loss pair, minibatch averaging, truncated BPTT and a layer's width (with
 * the nIn of what it feeds) on the named layers (every layer that can take the change when a remedy names none).
 * {@link Remedy.Kind#NORMALIZE_INPUT} and {@link Remedy.Kind#SET_BATCH_SIZE} change the data, not the configuration:
 * see {@link FixVerifier}. A remedy that no targeted layer can take is refused with an {@link
 * IllegalArgumentException}, never applied as a silent no-op. Stateless.
 */
final class RemedyApplier {

    /** Updater hyper-parameters by the names a remedy uses, and the bean properties that hold them. */
    private static final Map<String, List<String>> UPDATER_PARAMETERS = Map.of(
            "momentum", List.of("momentum"), "beta1", List.of("beta1"), "beta2", List.of("beta2"),
            "epsilon", List.of("epsilon"), "rho", List.of("rho", "rmsDecay"), "rmsdecay", List.of("rmsDecay"));

    private RemedyApplier() {
    }

    /**
     * Applies the whole remedy (layer settings and network-wide settings) to a cloned configuration.
     *
     * @param remedy the change
     * @param conf   a cloned MultiLayerConfiguration, changed in place
     * @throws IllegalArgumentException when a named layer does not exist or no layer can take the change
     */
    static void apply(Remedy remedy, MultiLayerConfiguration conf) {
        if (!isNetworkWide(remedy.kind())) {
            apply(remedy, layers(conf));
        }
        applyToNetwork(remedy, conf);
    }

    /**
     * @param remedy the change
     * @param conf   a cloned ComputationGraphConfiguration, changed in place
     * @throws IllegalArgumentException when a named layer does not exist or no layer can take the change
     * @see #apply(Remedy, MultiLayerConfiguration)
     */
    static void apply(Remedy remedy, ComputationGraphConfiguration conf) {
        if (!isNetworkWide(remedy.kind())) {
            apply(remedy, layers(conf));
        }
        applyToNetwork(remedy, conf);
    }

    private static boolean isNetworkWide(Remedy.Kind kind) {
        return switch (kind) {
            case NORMALIZE_INPUT, TRUNCATE_BPTT, AVERAGE_MINIBATCH, SET_WIDTH, SET_BATCH_SIZE -> true;
            default -> false;
        };
    }

    /**
     * Applies the layer-wise part of a remedy.
     *
     * @param remedy the change
     * @param layers the cloned configuration's layers by name (innermost configurations), changed in place
     * @throws IllegalArgumentException when a named layer does not exist or none of the targets can take the change
     */
    static void apply(Remedy remedy, Map<String, Layer> layers) {
        Map<String, Layer> targets = new LinkedHashMap<>();
        if (remedy.layers().isEmpty()) {
            targets.putAll(layers);
        } else {
            for (String name : remedy.layers()) {
                Layer l = layers.get(name);
                if (l == null) {
                    throw new IllegalArgumentException("remedy " + remedy.kind() + " names layer '" + name
                            + "', which the network does not have; layers: " + layers.keySet());
                }
                targets.put(name, l);
            }
        }
        boolean taken = false;
        for (Layer l : targets.values()) {
            taken |= applyTo(remedy, l);
        }
        if (!taken && !isNetworkWide(remedy.kind())) {
            throw new IllegalArgumentException("remedy " + remedy.kind() + " (" + remedy.text() + ") cannot be "
                    + "applied to any of the layers " + targets.keySet() + ": " + refusal(remedy.kind()));
        }
    }

    private static String refusal(Remedy.Kind kind) {
        return switch (kind) {
            case SCALE_LEARNING_RATE, RAISE_LEARNING_RATE, UNFREEZE, REMOVE_SCHEDULE ->
                    "none has an updater with a learning rate (AdaDelta and NoOp have none)";
            case SET_GAMMA, SET_BATCHNORM_DECAY, SET_BATCHNORM_EPS -> "none is a BatchNormalization layer";
            case SET_OUTPUT_LOSS -> "none is an output layer";
            case SET_UPDATER_PARAMETER -> "no updater has that hyper-parameter";
            default -> "none has trainable parameters";
        };
    }

    /**
     * @param name an ND4J updater's simple class name ("Adam", "Sgd", ...), "" for none
     * @return a new instance with its defaults, empty when the name is empty or no such updater has a rate
     */
    private static java.util.Optional<IUpdater> updaterNamed(String name) {
        if (name.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            Object o = Class.forName("org.nd4j.linalg.learning.config." + name).getDeclaredConstructor()
                    .newInstance();
            return o instanceof IUpdater u && hasRate(u) ? java.util.Optional.of(u) : java.util.Optional.empty();
        } catch (ReflectiveOperationException | LinkageError e) {
            return java.util.Optional.empty();
        }
    }

    /** @return true when the layer took the change */
    private static boolean applyTo(Remedy r, Layer l) {
        switch (r.kind()) {
            case SCALE_LEARNING_RATE, RAISE_LEARNING_RATE -> {
                if (l instanceof BaseLayer b && hasRate(b.getIUpdater())) {
                    b.setIUpdater(scaled(b.getIUpdater(), r.value()));
                    b.setBiasUpdater(scaled(b.getBiasUpdater(), r.value()));
                    return true;
                }
                return false;
            }
            case UNFREEZE -> {
                if (l instanceof BaseLayer b && hasRate(b.getIUpdater())) {
                    IUpdater u = updaterNamed(r.argument()).orElse(b.getIUpdater().clone());
                    u.setLrAndSchedule(r.value(), null);
                    b.setIUpdater(u);
                    b.setBiasUpdater(null);
                    return true;
                }
                return false;
            }
            case REMOVE_SCHEDULE -> {
                if (l instanceof BaseLayer b && hasRate(b.getIUpdater())) {
                    b.setIUpdater(fixedRate(b.getIUpdater(), r.value()));
                    b.setBiasUpdater(hasRate(b.getBiasUpdater()) ? fixedRate(b.getBiasUpdater(), r.value()) : null);
                    return true;
                }
                return false;
            }
            case SET_UPDATER_PARAMETER -> {
                if (l instanceof BaseLayer b && b.getIUpdater() != null) {
                    IUpdater u = withParameter(b.getIUpdater(), r.argument(), r.value());
                    if (u == null) {
                        return false;
                    }
                    b.setIUpdater(u);
                    if (b.getBiasUpdater() != null) {
                        IUpdater bias = withParameter(b.getBiasUpdater(), r.argument(), r.value());
                        b.setBiasUpdater(bias == null ? b.getBiasUpdater() : bias);
                    }
                    return true;
                }
                return false;
            }
            case SET_GAMMA -> {
                if (l instanceof BatchNormalization bn) {
                    bn.setGamma(r.value());
                    bn.setLockGammaBeta(false);
                    return true;
                }
                return false;
            }
            case SET_BATCHNORM_DECAY -> {
                if (l instanceof BatchNormalization bn) {
                    bn.setDecay(r.value());
                    return true;
                }
                return false;
            }
            case SET_BATCHNORM_EPS -> {
                if (l instanceof BatchNormalization bn) {
                    bn.setEps(r.value());
                    return true;
                }
                return false;
            }
            case SET_ACTIVATION -> {
                if (l instanceof BaseLayer b && !(l instanceof BaseOutputLayer)) {
                    Activation a = Activation.valueOf(r.argument());
                    b.setActivationFn(a.getActivationFunction());
                    if (a == Activation.RELU || a == Activation.LEAKYRELU) {
                        b.setWeightInitFn(WeightInit.RELU.getWeightInitFunction());
                    }
                    return true;
                }
                return false;
            }
            case SET_BIAS_INIT -> {
                if (l instanceof BaseLayer b) {
                    b.setBiasInit(r.value());
                    return true;
                }
                return false;
            }
            case SET_WEIGHT_INIT -> {
                if (l instanceof BaseLayer b) {
                    b.setWeightInitFn(WeightInit.valueOf(r.argument()).getWeightInitFunction());
                    if (b instanceof BaseRecurrentLayer rec && rec.getWeightInitFnRecurrent() != null) {
                        rec.setWeightInitFnRecurrent(WeightInit.valueOf(r.argument()).getWeightInitFunction());
                    }
                    return true;
                }
                return false;
            }
            case CLIP_GRADIENTS -> {
                if (l instanceof BaseLayer b) {
                    GradientNormalization g = r.argument().isEmpty() ? GradientNormalization.ClipL2PerLayer
                            : GradientNormalization.valueOf(r.argument());
                    b.setGradientNormalization(g);
                    if (g != GradientNormalization.None) {
                        b.setGradientNormalizationThreshold(r.value());
                    }
                    return true;
                }
                return false;
            }
            case SET_DROPOUT -> {
                l.setIDropout(r.value() >= 1 ? null : new Dropout(r.value()));
                return true;
            }
            case SET_L2 -> {
                return setRegularization(l, "l2", r.value());
            }
            case SET_REGULARIZATION -> {
                return setRegularization(l, r.argument(), r.value());
            }
            case SET_OUTPUT_LOSS -> {
                if (l instanceof BaseOutputLayer out) {
                    setOutputPair(out, r.argument());
                    return true;
                }
                return false;
            }
            default -> throw new IllegalStateException("no layer-wise application for remedy kind " + r.kind());
        }
    }

    private static boolean hasRate(IUpdater u) {
        return u != null && u.hasLearningRate();
    }

    /**
     * Sets the output's activation/loss pair from "ACTIVATION/LOSS" (an {@link Activation} and a
     * {@link LossFunctions.LossFunction} name, e.g. "SIGMOID/XENT"); "" is SOFTMAX/MCXENT.
     */
    private static void setOutputPair(BaseOutputLayer out, String pair) {
        String text = pair.isBlank() ? "SOFTMAX/MCXENT" : pair.strip();
        String[] parts = text.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("SET_OUTPUT_LOSS argument must be ACTIVATION/LOSS, e.g. "
                    + "SOFTMAX/MCXENT, SIGMOID/XENT or IDENTITY/MSE, but was '" + pair + "'");
        }
        Activation a;
        LossFunctions.LossFunction loss;
        try {
            a = Activation.valueOf(parts[0].strip().toUpperCase(Locale.ROOT));
            loss = LossFunctions.LossFunction.valueOf(parts[1].strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SET_OUTPUT_LOSS argument '" + pair + "' names an unknown "
                    + "activation or loss; valid: an org.nd4j.linalg.activations.Activation and a "
                    + "LossFunctions.LossFunction name, e.g. SOFTMAX/MCXENT", e);
        }
        out.setActivationFn(a.getActivationFunction());
        out.setLossFn(loss.getILossFunction());
    }

    private static boolean setRegularization(Layer l, String argument, double value) {
        if (!(l instanceof BaseLayer b)) {
            return false;
        }
        String kind = argument.isBlank() ? "l2" : argument.strip().toLowerCase(Locale.ROOT);
        Class<? extends Regularization> type = switch (kind) {
            case "l1" -> L1Regularization.class;
            case "l2" -> L2Regularization.class;
            case "weightdecay" -> WeightDecay.class;
            default -> throw new IllegalArgumentException("SET_REGULARIZATION argument must be l1, l2 or "
                    + "weightDecay but was '" + argument + "'");
        };
        List<Regularization> kept = new ArrayList<>();
        if (b.getRegularization() != null) {
            b.getRegularization().stream().filter(x -> !type.isInstance(x)).forEach(kept::add);
        }
        if (value > 0) {
            kept.add(switch (kind) {
                case "l1" -> new L1Regularization(value);
                case "l2" -> new L2Regularization(value);
                default -> new WeightDecay(value, true);
            });
        }
        b.setRegularization(kept);
        return true;
    }

    /**
     * @return a copy of the updater with the named hyper-parameter set (through its bean setter), or null when the
     *         updater has no such parameter
     */
    private static IUpdater withParameter(IUpdater u, String argument, double value) {
        List<String> properties = UPDATER_PARAMETERS.get(argument.strip().toLowerCase(Locale.ROOT));
        if (properties == null) {
            throw new IllegalArgumentException("SET_UPDATER_PARAMETER argument must be one of "
                    + UPDATER_PARAMETERS.keySet() + " but was '" + argument + "'");
        }
        IUpdater copy = copyOf(u);
        for (String property : properties) {
            String setter = "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
            Method m;
            try {
                m = copy.getClass().getMethod(setter, double.class);
            } catch (NoSuchMethodException e) {
                continue;
            }
            try {
                m.invoke(copy, value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("could not set " + property + " of " + u, e);
            }
            if (copy instanceof Nesterovs n && property.equals("momentum")) {
                n.setMomentumISchedule(null); // the remedy sets the momentum: a momentum schedule would override it
                n.setMomentumSchedule(null);
            }
            return copy;
        }
        return null;
    }

    /**
     * Applies the network-wide part of a remedy (truncated BPTT, minibatch averaging, a layer's width) to a cloned
     * configuration; other kinds change nothing here.
     *
     * @param remedy the change
     * @param conf   a cloned MultiLayerConfiguration, changed in place
     */
    static void applyToNetwork(Remedy remedy, MultiLayerConfiguration conf) {
        switch (remedy.kind()) {
            case TRUNCATE_BPTT -> {
                conf.setBackpropType(BackpropType.TruncatedBPTT);
                conf.setTbpttFwdLength((int) remedy.value());
                conf.setTbpttBackLength((int) remedy.value());
            }
            case AVERAGE_MINIBATCH -> conf.getConfs().forEach(c -> c.setMiniBatch(true));
            case SET_WIDTH -> new WidthChange(remedy).apply(conf);
            default -> {
            }
        }
    }

    /**
     * @param remedy the change
     * @param conf   a cloned ComputationGraphConfiguration, changed in place
     * @see #applyToNetwork(Remedy, MultiLayerConfiguration)
     */
    static void applyToNetwork(Remedy remedy, ComputationGraphConfiguration conf) {
        switch (remedy.kind()) {
            case TRUNCATE_BPTT -> {
                conf.setBackpropType(BackpropType.TruncatedBPTT);
                conf.setTbpttFwdLength((int) remedy.value());
                conf.setTbpttBackLength((int) remedy.value());
            }
            case AVERAGE_MINIBATCH -> {
                conf.getDefaultConfiguration().setMiniBatch(true);
                for (GraphVertex v : conf.getVertices().values()) {
                    if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
                        lv.getLayerConf().setMiniBatch(true);
                    }
                }
            }
            case SET_WIDTH -> new WidthChange(remedy).apply(conf);
            default -> {
            }
        }
    }

    /** @return the updater with its rate (and its schedule, when it has one) multiplied by factor */
    static IUpdater scaled(IUpdater u, double factor) {
        if (!hasRate(u)) {
            return u;
        }
        IUpdater copy = copyOf(u);
        ISchedule schedule = schedule(u);
        copy.setLrAndSchedule(rateField(u) * factor, schedule == null ? null : ScaledSchedule.of(schedule, factor));
        return copy;
    }

    /** @return the updater with a fixed rate and no schedule: value when > 0, else the schedule's value at 0 */
    private static IUpdater fixedRate(IUpdater u, double value) {
        IUpdater copy = u.clone();
        copy.setLrAndSchedule(value > 0 ? value : u.getLearningRate(0, 0), null);
        return copy;
    }

    /**
     * @return a copy of the updater with its rate schedule: DL4J's {@code AdaGrad.clone()} drops the schedule (so does
     *         a network-wide {@code .updater(new AdaGrad(schedule))}, which DL4J clones into each layer)
     */
    static IUpdater copyOf(IUpdater u) {
        IUpdater copy = u.clone();
        ISchedule schedule = u.hasLearningRate() ? schedule(u) : null;
        if (schedule != null && schedule(copy) == null) {
            copy.setLrAndSchedule(rateField(u), schedule);
        }
        return copy;
    }

    /** @return the updater's learning-rate schedule, null when it has a fixed rate */
    static ISchedule schedule(IUpdater u) {
        try {
            Method m = u.getClass().getMethod("getLearningRateSchedule");
            Object s = m.invoke(u);
            return s instanceof ISchedule sch ? sch : null;
        } catch (NoSuchMethodException e) {
            return null; // an updater type without a schedule property (a user's own): its rate is fixed
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not read the learning-rate schedule of " + u, e);
        }
    }

    private static double rateField(IUpdater u) {
        try {
            Object v = u.getClass().getMethod("getLearningRate").invoke(u);
            return ((Number) v).doubleValue();
        } catch (NoSuchMethodException e) {
            return u.getLearningRate(0, 0);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not read the learning rate of " + u, e);
        }
    }

    /**
     * @param conf a MultiLayerNetwork configuration (a clone)
     * @return its layers by name (the index when unnamed), innermost configurations
     */
    static Map<String, Layer> layers(MultiLayerConfiguration conf) {
        Map<String, Layer> out = new LinkedHashMap<>();
        List<NeuralNetConfiguration> confs = conf.getConfs();
        for (int i = 0; i < confs.size(); i++) {
            Layer l = confs.get(i).getLayer();
            out.put(l.getLayerName() == null ? String.valueOf(i) : l.getLayerName(), ModelView.innermost(l));
        }
        return out;
    }

    /**
     * @param conf a ComputationGraph configuration (a clone)
     * @return its layers by vertex name, innermost configurations
     */
    static Map<String, Layer> layers(ComputationGraphConfiguration conf) {
        Map<String, Layer> out = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf() != null) {
                out.put(e.getKey(), ModelView.innermost(lv.getLayerConf().getLayer()));
            }
        }
        return out;
    }

    /**
     * {@link Remedy.Kind#SET_WIDTH}: the nOut of each named layer becomes the remedy's value, and the nIn of what it
     * feeds follows, through layers and vertices that pass the width on (BatchNormalization, dropout, pooling and
     * activation layers, merge, scale, shift and L2-normalize vertices) and through a CNN-to-dense preprocessor (its
     * channel count, and nIn by channels x height x width). An element-wise vertex needs equal widths on every input
     * and an output layer's width is the labels': both are refused.
     */
    private static final class WidthChange {

        private final Remedy remedy;
        private final long width;

        WidthChange(Remedy remedy) {
            this.remedy = remedy;
            if (!(remedy.value() >= 1) || remedy.value() != Math.rint(remedy.value())) {
                throw new IllegalArgumentException("SET_WIDTH value must be a whole number >= 1 but was "
                        + remedy.value());
            }
            if (remedy.layers().isEmpty()) {
                throw new IllegalArgumentException("SET_WIDTH must name the layers whose width it sets");
            }
            this.width = (long) remedy.value();
        }

        void apply(MultiLayerConfiguration conf) {
            Map<String, Layer> byName = layers(conf);
            List<String> names = new ArrayList<>(byName.keySet());
            for (String name : remedy.layers()) {
                int index = names.indexOf(name);
                if (index < 0) {
                    throw new IllegalArgumentException("remedy SET_WIDTH names layer '" + name
                            + "', which the network does not have; layers: " + names);
                }
                long delta = widen(name, conf.getConf(index).getLayer());
                for (int j = index + 1; j < names.size() && delta != 0; j++) {
                    delta = feed(names.get(j), conf.getInputPreProcess(j), conf.getConf(j).getLayer(), delta);
                }
            }
        }

        void apply(ComputationGraphConfiguration conf) {
            for (String name : remedy.layers()) {
                GraphVertex v = conf.getVertices().get(name);
                if (!(v instanceof LayerVertex lv) || lv.getLayerConf() == null) {
                    throw new IllegalArgumentException("remedy SET_WIDTH names layer '" + name
                            + "', which the graph does not have; layers: " + layers(conf).keySet());
                }
                long delta = widen(name, lv.getLayerConf().getLayer());
                propagate(conf, name, delta);
            }
        }

        private void propagate(ComputationGraphConfiguration conf, String from, long delta) {
            for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
                if (!e.getValue().contains(from)) {
                    continue;
                }
                String name = e.getKey();
                GraphVertex v = conf.getVertices().get(name);
                long next;
                if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
                    next = feed(name, lv.getPreProcessor(), lv.getLayerConf().getLayer(), delta);
                } else if (v instanceof MergeVertex || v instanceof ScaleVertex || v instanceof ShiftVertex
                        || v instanceof L2NormalizeVertex) {
                    next = delta;
                } else if (v instanceof PreprocessorVertex pv) {
                    next = delta * flattened(pv.getPreProcessor());
                } else {
                    throw new IllegalArgumentException("SET_WIDTH of " + remedy.layers() + ": layer '" + from
                            + "' feeds the " + v.getClass().getSimpleName() + " '" + name + "', whose inputs "
                            + "must keep their widths; change the widths of all its inputs together");
                }
                if (next != 0) {
                    propagate(conf, name, next);
                }
            }
        }

        /** Sets the layer's nOut; @return the change of its output width */
        private long widen(String name, Layer outer) {
            Layer l = ModelView.innermost(outer);
            if (outer instanceof Bidirectional) {
                throw new IllegalArgumentException("SET_WIDTH of the bidirectional layer '" + name + "' is not "
                        + "supported: its output width depends on the mode; change it in the builder");
            }
            if (l instanceof BaseOutputLayer) {
                throw new IllegalArgumentException("SET_WIDTH cannot change the output layer '" + name
                        + "': its width is the labels' width");
            }
            if (!(l instanceof FeedForwardLayer ff)) {
                throw new IllegalArgumentException("SET_WIDTH names layer '" + name + "', a "
                        + l.getClass().getSimpleName() + " without a number of units (nOut)");
            }
            long old = ff.getNOut();
            ff.setNOut(width);
            if (passesWidth(ff)) {
                ff.setNIn(width);
            }
            return width - old;
        }

        /**
         * The layer receives an input whose width changed by delta (before its preprocessor).
         *
         * @return how its own output width changes (0 when it has weights of its own: the change stops there)
         */
        private long feed(String name, InputPreProcessor pre, Layer outer, long delta) {
            long d = delta * flattened(pre);
            if (pre instanceof CnnToFeedForwardPreProcessor c) {
                c.setNumChannels(c.getNumChannels() + delta);
            } else if (pre instanceof CnnToRnnPreProcessor c) {
                c.setNumChannels(c.getNumChannels() + delta);
            }
            Layer l = ModelView.innermost(outer);
            if (!(l instanceof FeedForwardLayer ff)) {
                return d; // pooling, activation, global pooling...: the width passes through
            }
            if (outer instanceof Bidirectional) {
                throw new IllegalArgumentException("SET_WIDTH of " + remedy.layers() + " feeds the bidirectional "
                        + "layer '" + name + "', which is not supported; change it in the builder");
            }
            ff.setNIn(ff.getNIn() + d);
            if (passesWidth(ff)) {
                ff.setNOut(ff.getNOut() + d);
                return d;
            }
            return 0;
        }

        private static boolean passesWidth(FeedForwardLayer l) {
            return l instanceof BatchNormalization || l instanceof DropoutLayer;
        }

        private static long flattened(InputPreProcessor pre) {
            if (pre instanceof CnnToFeedForwardPreProcessor c) {
                return c.getInputHeight() * c.getInputWidth();
            }
            if (pre instanceof CnnToRnnPreProcessor c) {
                return c.getInputHeight() * c.getInputWidth();
            }
            return 1;
        }
    }
}
