package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

import java.util.Arrays;

/**
 * A deep stack of sigmoid layers. Each layer multiplies the backpropagated gradient by at most 0.25, so the first
 * layers receive almost nothing (VANISHING_GRADIENT on dense1); the same factor shrinks the forward signal, so from
 * the middle of the stack on every example produces the same output. The monitors see the forward collapse first
 * (ACTIVATION_COLLAPSE, an error, ranked first; it names the last layer whose examples still differ and suggests
 * ReLU with He init), then the vanishing gradient: both have the same cure.
 */
public final class DeepSigmoid implements GallerySample {

    static final int DEPTH = 12;
    static final int WIDTH = 64;

    @Override
    public String name() {
        return "deep-sigmoid";
    }

    @Override
    public String description() {
        return DEPTH + " hidden sigmoid layers: the signal fades layer by layer, forward (every example looks the same "
                + "deep down) and backward (the gradient vanishes before dense1)";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.VANISHING_GRADIENT;
    }

    @Override
    public String fix() {
        return ".activation(Activation.SIGMOID).weightInit(WeightInit.XAVIER) -> .activation(Activation.RELU)"
                + ".weightInit(WeightInit.RELU) on the hidden layers";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        return scenario(data, Activation.SIGMOID, WeightInit.XAVIER);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return scenario(data, Activation.RELU, WeightInit.RELU);
    }

    private static Scenario scenario(GalleryData data, Activation activation, WeightInit init) {
        int[] hidden = new int[DEPTH];
        Arrays.fill(hidden, WIDTH);
        return new Scenario(Mlp.seededBy(data).hidden(hidden).activation(activation).weightInit(init).build(),
                data.train(1024), null, 32, 1);
    }
}
