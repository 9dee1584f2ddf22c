package io.dl4jdebug.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * One parameter array of a layer, named the way DL4J names it.
 *
 * @param layer    the name of the layer that owns it (the DL4J layer name, or its index when unnamed)
 * @param key      the DL4J parameter key inside the layer: {@code W}, {@code b}, {@code gamma}, ...
 * @param flatKey  the key under which DL4J lists it in {@code Gradient.gradientForVariable()}: "0_W" in a
 *                 MultiLayerNetwork, "dense1_W" in a ComputationGraph
 * @param role     whether it is trained, a running statistic or frozen
 * @param length   number of values in the array
 */
public record ParameterInfo(String layer, String key, String flatKey, ParameterRole role, long length)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public ParameterInfo {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(flatKey, "flatKey");
        Objects.requireNonNull(role, "role");
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0 but was " + length);
        }
    }

    /** @return true when gradient and update statistics apply to this parameter */
    public boolean isTrainable() {
        return role == ParameterRole.TRAINABLE;
    }

    /** @return "layer/key", the name used in messages */
    public String displayName() {
        return layer + "/" + key;
    }
}
