package io.dl4jdebug.preflight;

import java.io.Serializable;
import java.util.Objects;

/**
 * The gradient check of one parameter array.
 *
 * @param layer            the layer name
 * @param key              the DL4J parameter key (W, b, gamma, ...)
 * @param entriesChecked   how many entries were perturbed
 * @param maxRelativeError the largest relative error |a - n| / (|a| + |n|) among them
 * @param maxAbsoluteError the largest absolute error |a - n| among them
 * @param failures         entries above both the relative and the absolute tolerance
 */
public record ParameterCheck(String layer, String key, int entriesChecked, double maxRelativeError,
                             double maxAbsoluteError, int failures) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public ParameterCheck {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(key, "key");
        if (entriesChecked < 0 || failures < 0 || failures > entriesChecked) {
            throw new IllegalArgumentException("need 0 <= failures <= entriesChecked but got failures=" + failures
                    + ", entriesChecked=" + entriesChecked);
        }
    }

    /** @return true when no entry failed */
    public boolean passed() {
        return failures == 0;
    }

    /** @return "layer/key" */
    public String displayName() {
        return layer + "/" + key;
    }
}
