package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.ModelKind;
import io.dl4jdebug.samples.gallery.Gallery;
import io.dl4jdebug.samples.gallery.GallerySample;

import java.util.Objects;

/**
 * Adapts a gallery sample's buggy setup to a labelled scenario. The label is the root cause, which is not always the
 * symptom the gallery expects first (the gallery's lr-too-high expects NON_FINITE; its root cause is the learning
 * rate).
 *
 * @param sample the gallery sample
 * @param label  the root cause of its buggy setup
 * @param family the family of its network (a dense or a recurrent MultiLayerNetwork)
 */
public record GalleryScenario(GallerySample sample, RootCause label, Family family) implements LabelledScenario {

    /** Validates the fields. */
    public GalleryScenario {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(family, "family");
    }

    /**
     * @param name  a gallery sample's name
     * @param label the root cause of its buggy setup
     * @return the scenario
     * @throws IllegalArgumentException when the gallery has no such sample
     */
    public static GalleryScenario of(String name, RootCause label) {
        return of(name, label, Family.MLN);
    }

    /**
     * @param name   a gallery sample's name
     * @param label  the root cause of its buggy setup
     * @param family the family of its network
     * @return the scenario
     * @throws IllegalArgumentException when the gallery has no such sample
     */
    public static GalleryScenario of(String name, RootCause label, Family family) {
        return new GalleryScenario(Gallery.byName(name).orElseThrow(() -> new IllegalArgumentException(
                "the gallery has no sample '" + name + "'; it has " + Gallery.names())), label, family);
    }

    @Override
    public String name() {
        return sample.name();
    }

    @Override
    public String description() {
        return sample.description();
    }

    @Override
    public ModelKind kind() {
        return ModelKind.MULTI_LAYER_NETWORK;
    }

    @Override
    public ScenarioSetup setup(ScenarioData data) {
        return ScenarioSetup.of(sample.buggy(data.fashion()));
    }
}
