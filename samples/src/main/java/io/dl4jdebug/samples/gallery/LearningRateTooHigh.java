package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.learning.config.Sgd;

/** A plain SGD learning rate far too high: the weights blow up within a few steps and the loss becomes NaN. */
public final class LearningRateTooHigh implements GallerySample {

    static final double BUGGY_RATE = 1e4;
    static final double FIXED_RATE = 0.05;

    @Override
    public String name() {
        return "lr-too-high";
    }

    @Override
    public String description() {
        return "SGD with learning rate 1e4: the weights explode and the loss turns NaN within a few steps";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.LEARNING_RATE_TOO_HIGH;
    }

    @Override
    public String fix() {
        return ".updater(new Sgd(1e4)) -> .updater(new Sgd(" + FIXED_RATE + "))";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        return scenario(data, BUGGY_RATE);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return scenario(data, FIXED_RATE);
    }

    private static Scenario scenario(GalleryData data, double rate) {
        return new Scenario(Mlp.seededBy(data).updater(new Sgd(rate)).build(), data.train(1024), null, 32, 2);
    }
}
