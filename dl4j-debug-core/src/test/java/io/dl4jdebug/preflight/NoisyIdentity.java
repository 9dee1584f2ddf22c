package io.dl4jdebug.preflight;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** Identity plus noise from an unseeded java.util.Random: a layer whose runs cannot be reproduced. */
public class NoisyIdentity extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;
    private final transient Random random = new Random();

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        if (training) {
            in.addi(random.nextGaussian() * 1e-3);
        }
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        return new Pair<>(epsilon, null);
    }

    @Override
    public String toString() {
        return "noisyidentity";
    }

    /** @return a fresh instance (the noise source is not shared) */
    public NoisyIdentity copy() {
        return new NoisyIdentity();
    }
}
