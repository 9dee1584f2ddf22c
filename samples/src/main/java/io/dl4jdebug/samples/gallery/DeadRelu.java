package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;

/** ReLU layers whose biases start strongly negative: most units output 0 for every input and never recover. */
public final class DeadRelu implements GallerySample {

    static final double BUGGY_BIAS = -1.0;

    @Override
    public String name() {
        return "dead-relu";
    }

    @Override
    public String description() {
        return "ReLU layers with .biasInit(" + BUGGY_BIAS + "): most units are dead (zero for every example)";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.DEAD_UNITS;
    }

    @Override
    public String fix() {
        return ".biasInit(" + BUGGY_BIAS + ") -> .biasInit(0.0) on the hidden layers";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        return scenario(data, BUGGY_BIAS);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return scenario(data, 0.0);
    }

    private static Scenario scenario(GalleryData data, double bias) {
        return new Scenario(Mlp.seededBy(data).biasInit(bias).build(), data.train(1024), null, 32, 1);
    }
}
