package io.dl4jdebug.preflight.check;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The output layer's name, activation, loss and width.
 *
 * @param name       the output layer's name
 * @param activation its activation, or null
 * @param loss       its loss function, or null
 * @param nOut       its width, or -1
 */
record OutputSetup(String name, IActivation activation, ILossFunction loss, long nOut) {

    /** @return true for a softmax output */
    boolean isSoftmax() {
        return activation instanceof ActivationSoftmax;
    }
}
