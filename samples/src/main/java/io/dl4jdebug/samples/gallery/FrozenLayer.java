package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A hidden layer that never updates: its per-layer {@code .updater(new Sgd(0.0))} (left over from freezing it
 * while fine-tuning) overrides the network's Adam.
 */
public final class FrozenLayer implements GallerySample {

    @Override
    public String name() {
        return "frozen-layer";
    }

    @Override
    public String description() {
        return "layer dense2 keeps a leftover .updater(new Sgd(0.0)): its weights never change";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.WEIGHTS_NOT_UPDATING;
    }

    @Override
    public String fix() {
        return "remove the per-layer .updater(new Sgd(0.0)) from dense2 (it then uses the network's Adam(1e-3))";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        return new Scenario(Mlp.seededBy(data).layerUpdater(1, new Sgd(0.0)).build(), data.train(1024), null, 32, 1);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return new Scenario(Mlp.seededBy(data).build(), data.train(1024), null, 32, 1);
    }
}
