package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The classic recurrent failure: a tanh recurrent layer ({@code SimpleRnn}, named {@code rnn}) reading Fashion-MNIST
 * as 28 steps of 28 pixels, its recurrent weights drawn from N(0, {@value #STD}) (a spectral radius far above 1)
 * and no gradient clipping. Backprop through time multiplies the gradient by the recurrent weights at every step:
 * it explodes (EXPLODING_GRADIENT on {@code rnn}, recurrent weights {@code RW} included). The fix: Xavier
 * initialisation of the recurrent weights and DL4J's element-wise clipping, which bounds every step whatever the
 * gradient does. (An LSTM version of this sample is the test {@code RecurrentExplodingTest} in dl4j-debug-core; an
 * LSTM over Fashion-MNIST takes several times longer per run on the CPU than the gallery's budget allows.)
 */
public final class ExplodingRnn implements GallerySample {

    static final double STD = 3.0;
    static final int UNITS = 32;

    @Override
    public String name() {
        return "exploding-rnn";
    }

    @Override
    public String description() {
        return "a SimpleRnn over 28-step Fashion-MNIST sequences with N(0, " + STD + ") recurrent weights and no "
                + "gradient clipping: the gradient explodes through time";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.EXPLODING_GRADIENT;
    }

    @Override
    public String fix() {
        return ".weightInitRecurrent(new NormalDistribution(0, " + STD + ")) -> WeightInit.XAVIER on the SimpleRnn, "
                + "and .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)"
                + ".gradientNormalizationThreshold(1.0) on the network";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        return new Scenario(SequenceClassifier.seededBy(data).units(UNITS)
                .recurrentInit(new WeightInitDistribution(new NormalDistribution(0, STD))).updater(new Adam(1e-3))
                .build(), FashionMnist.asSequences(data.train(512)), null, 32, 1);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return new Scenario(SequenceClassifier.seededBy(data).units(UNITS).updater(new Adam(1e-3))
                .clipping(GradientNormalization.ClipElementWiseAbsoluteValue).build(),
                FashionMnist.asSequences(data.train(512)), null, 32, 1);
    }
}
