package io.dl4jdebug.repair;

import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link Remedy} to a cloned network configuration (never to the user's): sets the BatchNorm gamma, the
 * activation, the init, the learning rate, clipping, dropout, L2, the output's loss or BatchNorm's decay on the named
 * layers (every trainable layer when a remedy names none). {@link Remedy.Kind#NORMALIZE_INPUT} changes the data, not
 * the configuration: see {@link FixVerifier}. Stateless.
 */
final class RemedyApplier {

    private RemedyApplier() {
    }

    /**
     * @param remedy the change
     * @param layers the cloned configuration's layers by name (innermost configurations), changed in place
     * @throws IllegalArgumentException when a named layer does not exist or cannot take the change
     */
    static void apply(Remedy remedy, Map<String, Layer> layers) {
        List<Layer> targets = new ArrayList<>();
        if (remedy.layers().isEmpty()) {
            targets.addAll(layers.values());
        } else {
            for (String name : remedy.layers()) {
                Layer l = layers.get(name);
                if (l == null) {
                    throw new IllegalArgumentException("remedy " + remedy.kind() + " names layer '" + name
                            + "', which the network does not have; layers: " + layers.keySet());
                }
                targets.add(l);
            }
        }
        for (Layer l : targets) {
            applyTo(remedy, l);
        }
    }

    private static void applyTo(Remedy r, Layer l) {
        switch (r.kind()) {
            case SCALE_LEARNING_RATE, RAISE_LEARNING_RATE -> {
                if (l instanceof BaseLayer b) {
                    b.setIUpdater(scaled(b.getIUpdater(), r.value()));
                    b.setBiasUpdater(scaled(b.getBiasUpdater(), r.value()));
                }
            }
            case UNFREEZE -> {
                if (l instanceof BaseLayer b && b.getIUpdater() != null && b.getIUpdater().hasLearningRate()) {
                    IUpdater u = b.getIUpdater().clone();
                    u.setLrAndSchedule(r.value(), null);
                    b.setIUpdater(u);
                    b.setBiasUpdater(null);
                }
            }
            case SET_GAMMA -> {
                if (l instanceof BatchNormalization bn) {
                    bn.setGamma(r.value());
                    bn.setLockGammaBeta(false);
                }
            }
            case SET_BATCHNORM_DECAY -> {
                if (l instanceof BatchNormalization bn) {
                    bn.setDecay(r.value());
                }
            }
            case SET_ACTIVATION -> {
                if (l instanceof BaseLayer b) {
                    Activation a = Activation.valueOf(r.argument());
                    b.setActivationFn(a.getActivationFunction());
                    if (a == Activation.RELU || a == Activation.LEAKYRELU) {
                        b.setWeightInitFn(WeightInit.RELU.getWeightInitFunction());
                    }
                }
            }
            case SET_BIAS_INIT -> {
                if (l instanceof BaseLayer b) {
                    b.setBiasInit(r.value());
                }
            }
            case SET_WEIGHT_INIT -> {
                if (l instanceof BaseLayer b) {
                    b.setWeightInitFn(WeightInit.valueOf(r.argument()).getWeightInitFunction());
                    if (b instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer rec
                            && rec.getWeightInitFnRecurrent() != null) {
                        rec.setWeightInitFnRecurrent(WeightInit.valueOf(r.argument()).getWeightInitFunction());
                    }
                }
            }
            case CLIP_GRADIENTS -> {
                if (l instanceof BaseLayer b) {
                    b.setGradientNormalization(r.argument().isEmpty() ? GradientNormalization.ClipL2PerLayer
                            : GradientNormalization.valueOf(r.argument()));
                    b.setGradientNormalizationThreshold(r.value());
                }
            }
            case SET_DROPOUT -> l.setIDropout(r.value() >= 1 ? null : new Dropout(r.value()));
            case SET_L2 -> {
                if (l instanceof BaseLayer b) {
                    List<Regularization> kept = new ArrayList<>();
                    if (b.getRegularization() != null) {
                        b.getRegularization().stream().filter(x -> !(x instanceof L2Regularization)).forEach(kept::add);
                    }
                    if (r.value() > 0) {
                        kept.add(new L2Regularization(r.value()));
                    }
                    b.setRegularization(kept);
                }
            }
            case SET_OUTPUT_LOSS -> {
                if (l instanceof BaseOutputLayer out) {
                    out.setActivationFn(Activation.SOFTMAX.getActivationFunction());
                    out.setLossFn(new LossMCXENT());
                }
            }
            case NORMALIZE_INPUT -> {
                // a change of the data: FixVerifier standardises the copy's features
            }
            case TRUNCATE_BPTT -> {
                // a change of the whole network: see applyToNetwork
            }
            default -> throw new IllegalStateException("no application for remedy kind " + r.kind());
        }
    }

    /**
     * Applies the network-wide part of a remedy (truncated BPTT) to a cloned configuration; other kinds change
     * nothing here.
     *
     * @param remedy the change
     * @param conf   a cloned MultiLayerConfiguration, changed in place
     */
    static void applyToNetwork(Remedy remedy, MultiLayerConfiguration conf) {
        if (remedy.kind() == Remedy.Kind.TRUNCATE_BPTT) {
            conf.setBackpropType(org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT);
            conf.setTbpttFwdLength((int) remedy.value());
            conf.setTbpttBackLength((int) remedy.value());
        }
    }

    /**
     * @param remedy the change
     * @param conf   a cloned ComputationGraphConfiguration, changed in place
     * @see #applyToNetwork(Remedy, MultiLayerConfiguration)
     */
    static void applyToNetwork(Remedy remedy, ComputationGraphConfiguration conf) {
        if (remedy.kind() == Remedy.Kind.TRUNCATE_BPTT) {
            conf.setBackpropType(org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT);
            conf.setTbpttFwdLength((int) remedy.value());
            conf.setTbpttBackLength((int) remedy.value());
        }
    }

    private static IUpdater scaled(IUpdater u, double factor) {
        if (u == null || !u.hasLearningRate()) {
            return u;
        }
        IUpdater copy = u.clone();
        copy.setLrAndSchedule(u.getLearningRate(0, 0) * factor, null);
        return copy;
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
}
