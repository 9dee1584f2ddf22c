package io.dl4jdebug.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * One row of the model summary: a layer or graph vertex with its shapes, parameter count and memory for a given
 * minibatch size (bytes in the network's data type).
 *
 * @param name                   the layer or vertex name
 * @param type                   its configuration class ("DenseLayer", "ElementWiseVertex", ...)
 * @param inputShape             the input shape with the batch size, e.g. "[32, 784]"
 * @param outputShape            the output shape with the batch size, e.g. "[32, 10]"
 * @param parameters             parameter count (measured on the network)
 * @param parameterBytes         bytes of its parameters
 * @param gradientBytes          bytes of its parameter gradients (training only)
 * @param updaterStateBytes      bytes of its updater state (DL4J's estimate: e.g. 2x parameters for Adam)
 * @param activationBytes        bytes of its output activations for the minibatch
 * @param activationGradientBytes bytes of the gradient it sends to its input during backpropagation
 */
public record LayerSummary(String name, String type, String inputShape, String outputShape, long parameters,
                           long parameterBytes, long gradientBytes, long updaterStateBytes, long activationBytes,
                           long activationGradientBytes) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public LayerSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(outputShape, "outputShape");
        if (parameters < 0 || parameterBytes < 0 || gradientBytes < 0 || updaterStateBytes < 0 || activationBytes < 0
                || activationGradientBytes < 0) {
            throw new IllegalArgumentException("counts and bytes of layer " + name + " must be >= 0");
        }
    }

    /** @return bytes this layer holds during training: parameters, gradients, updater state, activations both ways */
    public long trainingBytes() {
        return parameterBytes + gradientBytes + updaterStateBytes + activationBytes + activationGradientBytes;
    }
}
