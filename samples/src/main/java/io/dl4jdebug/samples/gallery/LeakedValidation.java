package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A validation set cut from the training data without removing it from training: validation scores are as good as
 * training scores and say nothing about new data.
 */
public final class LeakedValidation implements GallerySample {

    static final int EXAMPLES = 1024;
    static final int VALIDATION = 256;

    @Override
    public String name() {
        return "leaked-validation";
    }

    @Override
    public String description() {
        return "the validation set is the last " + VALIDATION + " of the " + EXAMPLES
                + " training examples, which are still trained on";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.DATA_LEAKAGE;
    }

    @Override
    public String fix() {
        return "split before training: train on examples [0, " + (EXAMPLES - VALIDATION) + "), validate on ["
                + (EXAMPLES - VALIDATION) + ", " + EXAMPLES + ") only";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        DataSet all = data.train(EXAMPLES);
        DataSet validation = GalleryData.range(all, EXAMPLES - VALIDATION, EXAMPLES);
        return new Scenario(Mlp.seededBy(data).build(), all, validation, 32, 2);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        DataSet all = data.train(EXAMPLES);
        return new Scenario(Mlp.seededBy(data).build(), GalleryData.range(all, 0, EXAMPLES - VALIDATION),
                GalleryData.range(all, EXAMPLES - VALIDATION, EXAMPLES), 32, 2);
    }
}
