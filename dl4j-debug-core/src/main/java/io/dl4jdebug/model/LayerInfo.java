package io.dl4jdebug.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One layer or graph vertex of a network, in topological order.
 *
 * @param position      its position in topological order (0 for the first vertex after the inputs)
 * @param name          the DL4J layer or vertex name; the layer index as a string when a MultiLayerNetwork layer
 *                      has no name
 * @param type          the simple class name of its configuration ("DenseLayer", "ElementWiseVertex", ...)
 * @param activation    the name of its activation function as DL4J prints it, or "none"
 * @param activationKind the family of that activation
 * @param parameters    its parameter arrays, in DL4J's order
 * @param outputLayer   true for an output layer (its activations are not handed to listeners by DL4J)
 * @param hasLayer      false for parameter-free graph vertices (merge, element-wise add, ...)
 * @param unitAxis      the axis of the output that indexes units or channels (1 for NCHW and NCW, 3 for NHWC,
 *                      2 for NWC)
 */
public record LayerInfo(int position, String name, String type, String activation, ActivationKind activationKind,
                        List<ParameterInfo> parameters, boolean outputLayer, boolean hasLayer, int unitAxis)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the parameter list. */
    public LayerInfo {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0 but was " + position);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(activationKind, "activationKind");
        parameters = List.copyOf(parameters);
        if (unitAxis < 1) {
            throw new IllegalArgumentException("unitAxis must be >= 1 but was " + unitAxis);
        }
    }
}
