package io.dl4jdebug.preflight;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/** tanh forward, but a backward pass that is twice the true derivative: a deliberately wrong backprop. */
public class WrongTanh extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return new ActivationTanH().getActivation(in, training);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        Pair<INDArray, INDArray> right = new ActivationTanH().backprop(in, epsilon);
        return new Pair<>(right.getFirst().muli(2.0), null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrongTanh;
    }

    @Override
    public int hashCode() {
        return 7;
    }

    @Override
    public String toString() {
        return "wrongtanh";
    }
}
