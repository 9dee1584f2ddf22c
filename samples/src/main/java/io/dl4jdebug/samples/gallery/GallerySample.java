package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;

/**
 * One entry of the bug gallery: a common training failure on Fashion-MNIST, the symptom dl4j-debug should rank
 * first for it, and the same setup with the fix applied. Implementations are stateless.
 */
public interface GallerySample {

    /** @return the command-line name, lower case with dashes (e.g. {@code lr-too-high}) */
    String name();

    /** @return one line: what is wrong in the buggy setup */
    String description();

    /** @return the symptom that must be the most important finding of the buggy run */
    Symptom expectedSymptom();

    /** @return one line: the DL4J code that the fixed setup changes */
    String fix();

    /**
     * @param data the Fashion-MNIST examples to draw from
     * @return the setup with the bug
     */
    Scenario buggy(GalleryData data);

    /**
     * @param data the Fashion-MNIST examples to draw from
     * @return the same setup with the fix applied
     */
    Scenario fixed(GalleryData data);
}
