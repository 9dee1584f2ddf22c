package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A tanh recurrent layer ({@code SimpleRnn}, named {@code rnn}) over 28-step Fashion-MNIST sequences with its input
 * and recurrent weights drawn from N(0, {@value #STD}) and SGD({@value #RATE}): the hidden state is driven to the
 * tanh bounds (SATURATED_ACTIVATIONS on {@code rnn}: every unit at +-1 for every example), where the derivative is
 * 0, so the gradient vanishes through the time steps, the weights stop moving and every example gets the same
 * output. The fix: Xavier initialisation, which keeps the pre-activations in tanh's linear range.
 */
public final class SaturatedRnn implements GallerySample {

    static final double STD = 1.0;
    static final int UNITS = 32;
    static final double RATE = 0.1;

    @Override
    public String name() {
        return "saturated-rnn";
    }

    @Override
    public String description() {
        return "a SimpleRnn (tanh) over 28-step Fashion-MNIST sequences with N(0, " + STD + ") weights: the hidden "
                + "state sits at +-1 and the gradient vanishes through time";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.SATURATED_ACTIVATIONS;
    }

    @Override
    public String fix() {
        return ".weightInit(new NormalDistribution(0, " + STD + ")) -> .weightInit(WeightInit.XAVIER) on the "
                + "SimpleRnn";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        return new Scenario(SequenceClassifier.seededBy(data).units(UNITS).normalInit(STD)
                .updater(new Sgd(RATE)).build(), FashionMnist.asSequences(data.train(512)), null, 32, 1);
    }

    /**
     * The fixed twin trained long enough to learn (Adam(5e-3), 1024 sequences, 3 epochs): the labelled scenario set's
     * healthy recurrent network.
     *
     * @param data the Fashion-MNIST examples to draw from
     * @return the setup
     */
    public static Scenario learning(GalleryData data) {
        return new Scenario(SequenceClassifier.seededBy(data).units(UNITS)
                .updater(new org.nd4j.linalg.learning.config.Adam(5e-3)).build(),
                FashionMnist.asSequences(data.train(1024)), FashionMnist.asSequences(data.test(256)), 32, 3);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return new Scenario(SequenceClassifier.seededBy(data).units(UNITS).updater(new Sgd(RATE))
                .build(), FashionMnist.asSequences(data.train(512)), null, 32, 1);
    }
}
