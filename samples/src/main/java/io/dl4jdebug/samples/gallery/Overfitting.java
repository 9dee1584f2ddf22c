package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;

/**
 * A wide network trained for many epochs on a tiny training set: it memorises the examples and the validation loss
 * moves away from the training loss.
 */
public final class Overfitting implements GallerySample {

    static final int TINY = 128;
    static final int ENOUGH = 2048;

    @Override
    public String name() {
        return "overfitting";
    }

    @Override
    public String description() {
        return "a 784-256-10 network trained 25 epochs on only " + TINY + " examples: it memorises them";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.OVERFITTING;
    }

    @Override
    public String fix() {
        return "train on more data (" + TINY + " -> " + ENOUGH + " examples) for fewer epochs, with .l2(1e-4)";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        return new Scenario(Mlp.seededBy(data).hidden(256).build(), data.train(TINY), data.test(512), 32, 25);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return new Scenario(Mlp.seededBy(data).hidden(256).l2(1e-4).build(), data.train(ENOUGH), data.test(512), 32,
                2);
    }
}
