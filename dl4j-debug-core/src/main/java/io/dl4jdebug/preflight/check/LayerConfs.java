package io.dl4jdebug.preflight.check;

import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Optional;

/** Reads DL4J layer configurations through frozen and wrapper layers. */
final class LayerConfs {

    private LayerConfs() {
    }

    /**
     * @param layer a layer configuration
     * @return its activation function, empty when it has none
     */
    static Optional<IActivation> activation(Layer layer) {
        Layer inner = ModelView.innermost(layer);
        if (inner instanceof BaseLayer) {
            return Optional.ofNullable(((BaseLayer) inner).getActivationFn());
        }
        if (inner instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer) {
            return Optional.ofNullable(((org.deeplearning4j.nn.conf.layers.ActivationLayer) inner).getActivationFn());
        }
        return Optional.empty();
    }

    /**
     * @param layer a layer configuration
     * @return its loss function, empty when it is not an output or loss layer
     */
    static Optional<ILossFunction> loss(Layer layer) {
        Layer inner = ModelView.innermost(layer);
        if (inner instanceof BaseOutputLayer) {
            return Optional.ofNullable(((BaseOutputLayer) inner).getLossFn());
        }
        if (inner instanceof LossLayer) {
            return Optional.ofNullable(((LossLayer) inner).getLossFn());
        }
        return Optional.empty();
    }

    /**
     * @param layer a layer configuration
     * @return its number of outputs, or -1 when it does not say
     */
    static long nOut(Layer layer) {
        Layer inner = ModelView.innermost(layer);
        if (inner instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer) {
            return ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) inner).getNOut();
        }
        return -1;
    }
}
