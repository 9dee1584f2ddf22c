package io.dl4jdebug.facts;

import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.diagnose.LayerFacts;
import io.dl4jdebug.diagnose.NetworkFacts;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads a network's configuration into plain {@link NetworkFacts} for the diagnosis: per layer the activation,
 * initialisation, BatchNorm settings, dropout, L2, updater and learning rate, clipping and inputs. Stateless.
 */
public final class NetworkFactsReader {

    private NetworkFactsReader() {
    }

    /**
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @return its facts
     * @throws UnsupportedModelException for other model types
     */
    public static NetworkFacts read(Model model) {
        return read(ModelView.of(model));
    }

    /**
     * @param view the network's view
     * @return its facts
     */
    public static NetworkFacts read(ModelView view) {
        Map<String, List<String>> graphInputs = view.model() instanceof ComputationGraph cg
                ? cg.getConfiguration().getVertexInputs() : Map.of();
        List<LayerFacts> layers = new ArrayList<>();
        String previous = null;
        String loss = "";
        String outputActivation = "";
        for (LayerInfo info : view.layers()) {
            Layer wrapped = view.model() instanceof ComputationGraph cg
                    ? layerOf(cg, info.name()) : layerOf(view, info.name());
            Layer conf = ModelView.innermost(wrapped);
            boolean frozen = wrapped instanceof FrozenLayer || wrapped instanceof FrozenLayerWithBackprop;
            List<String> inputs = graphInputs.isEmpty() ? (previous == null ? List.of() : List.of(previous))
                    : graphInputs.getOrDefault(info.name(), List.of());
            layers.add(facts(info, conf, inputs, frozen));
            Optional<ILossFunction> lossFn = lossOf(conf);
            if (lossFn.isPresent() && info.outputLayer()) {
                loss = String.valueOf(lossFn.get());
                outputActivation = String.valueOf(((BaseLayer) conf).getActivationFn());
                if (info.parameters().isEmpty() && outputActivation.toLowerCase(Locale.ROOT).contains("identity")
                        && previous != null) {
                    // A parameterless loss layer (LossLayer, as Keras' import writes Dense(softmax) + loss) scores
                    // what the layer before it computed: that layer's activation is the output's.
                    outputActivation = activationOf(layers, inputs.isEmpty() ? previous : inputs.get(0),
                            outputActivation);
                }
            }
            previous = info.name();
        }
        return new NetworkFacts(layers, loss, outputActivation, tbpttLength(view), miniBatchAveraged(view),
                iterationCount(view) == 0, UnitSymmetry.identicalLayers(view));
    }

    /** @return the loss function of an output or loss layer of any kind, empty for other layers */
    private static Optional<ILossFunction> lossOf(Layer conf) {
        if (conf instanceof BaseOutputLayer out) {
            return Optional.ofNullable(out.getLossFn());
        }
        if (conf instanceof LossLayer l) {
            return Optional.ofNullable(l.getLossFn());
        }
        if (conf instanceof RnnLossLayer l) {
            return Optional.ofNullable(l.getLossFn());
        }
        if (conf instanceof CnnLossLayer l) {
            return Optional.ofNullable(l.getLossFn());
        }
        return Optional.empty();
    }

    private static String activationOf(List<LayerFacts> layers, String name, String fallback) {
        return layers.stream().filter(l -> l.name().equals(name)).map(LayerFacts::activation).findFirst()
                .orElse(fallback);
    }

    private static boolean miniBatchAveraged(ModelView view) {
        if (view.model() instanceof ComputationGraph cg) {
            return cg.getConfiguration().getDefaultConfiguration().isMiniBatch();
        }
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork mln =
                (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) view.model();
        return mln.getLayerWiseConfigurations().getConfs().isEmpty()
                || mln.getLayerWiseConfigurations().getConf(0).isMiniBatch();
    }

    private static long iterationCount(ModelView view) {
        if (view.model() instanceof ComputationGraph cg) {
            return (long) cg.getConfiguration().getIterationCount() + cg.getConfiguration().getEpochCount();
        }
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf =
                ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) view.model()).getLayerWiseConfigurations();
        return (long) conf.getIterationCount() + conf.getEpochCount();
    }

    private static int tbpttLength(ModelView view) {
        if (view.model() instanceof ComputationGraph cg) {
            return cg.getConfiguration().getBackpropType() == org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT
                    ? cg.getConfiguration().getTbpttFwdLength() : 0;
        }
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf =
                ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) view.model()).getLayerWiseConfigurations();
        return conf.getBackpropType() == org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT
                ? conf.getTbpttFwdLength() : 0;
    }

    private static Layer layerOf(ComputationGraph cg, String name) {
        org.deeplearning4j.nn.api.Layer impl = cg.getLayer(name);
        return impl == null || impl.conf() == null ? null : impl.conf().getLayer();
    }

    private static Layer layerOf(ModelView view, String name) {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork mln =
                (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) view.model();
        for (org.deeplearning4j.nn.api.Layer l : mln.getLayers()) {
            Layer c = l.conf().getLayer();
            String n = c.getLayerName() == null ? String.valueOf(l.getIndex()) : c.getLayerName();
            if (n.equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static LayerFacts facts(LayerInfo info, Layer conf, List<String> inputs, boolean frozen) {
        String weightInit = "";
        OptionalDouble bias = OptionalDouble.empty();
        double l2 = 0;
        String updater = "";
        OptionalDouble lr = OptionalDouble.empty();
        String clipping = "None";
        if (conf instanceof BaseLayer b) {
            weightInit = b.getWeightInitFn() == null ? "" : b.getWeightInitFn().getClass().getSimpleName()
                    .replace("WeightInit", "") + describeInit(b);
            if (b instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer rec
                    && rec.getWeightInitFnRecurrent() != null) {
                // DL4J keeps the recurrent weights' (RW) init apart: a large one is what makes them explode.
                String s = String.valueOf(rec.getWeightInitFnRecurrent());
                int paren = s.indexOf('(');
                weightInit += "; recurrent " + rec.getWeightInitFnRecurrent().getClass().getSimpleName()
                        .replace("WeightInit", "") + (s.contains("Distribution") && paren > 0 ? s.substring(paren)
                        : "");
            }
            if (hasBias(b)) {
                bias = OptionalDouble.of(b.getBiasInit());
            }
            l2 = l2(b.getRegularization());
            IUpdater u = b.getIUpdater();
            if (u != null && !info.parameters().isEmpty()) {
                updater = u.getClass().getSimpleName();
                lr = u.hasLearningRate() ? OptionalDouble.of(u.getLearningRate(0, 0)) : OptionalDouble.empty();
            }
            clipping = String.valueOf(b.getGradientNormalization());
        }
        OptionalDouble gamma = OptionalDouble.empty();
        OptionalDouble decay = OptionalDouble.empty();
        boolean lock = false;
        if (conf instanceof BatchNormalization bn) {
            gamma = OptionalDouble.of(bn.getGamma());
            decay = OptionalDouble.of(bn.getDecay());
            lock = bn.isLockGammaBeta();
        }
        OptionalDouble retain = OptionalDouble.empty();
        if (conf != null) {
            IDropout d = conf.getIDropout();
            if (d instanceof Dropout dropout && dropout.getPSchedule() == null) {
                retain = OptionalDouble.of(dropout.getP());
            }
        }
        boolean trainable = !frozen && !info.parameters().isEmpty();
        return new LayerFacts(info.name(), info.position(), conf == null ? info.type() : conf.getClass().getSimpleName(),
                info.activation(), weightInit, bias, gamma, lock, decay, retain, l2, updater, lr, clipping, inputs,
                trainable, info.outputLayer(), LayerSettingsReader.read(conf, !info.parameters().isEmpty()));
    }

    private static String describeInit(BaseLayer b) {
        String s = String.valueOf(b.getWeightInitFn());
        int paren = s.indexOf('(');
        return s.contains("Distribution") && paren > 0 ? s.substring(paren) : "";
    }

    private static boolean hasBias(BaseLayer b) {
        if (b instanceof DenseLayer d) {
            return d.hasBias();
        }
        if (b instanceof ConvolutionLayer c) {
            return c.hasBias();
        }
        return !(b instanceof BatchNormalization);
    }

    private static double l2(List<Regularization> regularization) {
        double sum = 0;
        if (regularization != null) {
            for (Regularization r : regularization) {
                if (r instanceof L2Regularization l) {
                    sum += l.getL2().valueAt(0, 0);
                }
            }
        }
        return sum;
    }
}
