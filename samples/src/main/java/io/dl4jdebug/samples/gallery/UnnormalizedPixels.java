package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Symptom;
import org.nd4j.linalg.dataset.DataSet;

/** Raw 0-255 pixel values fed to the network: huge pre-activations, a wild initial loss, erratic training. */
public final class UnnormalizedPixels implements GallerySample {

    @Override
    public String name() {
        return "unnormalized";
    }

    @Override
    public String description() {
        return "raw 0-255 pixels instead of [0, 1]: the inputs are far from zero mean and unit scale";
    }

    @Override
    public Symptom expectedSymptom() {
        return Symptom.DATA_UNNORMALIZED;
    }

    @Override
    public String fix() {
        return "scale the pixels: iterator.setPreProcessor(new ImagePreProcessingScaler(0, 1)) "
                + "(here: features divided by 255)";
    }

    @Override
    public Scenario buggy(GalleryData data) {
        DataSet raw = data.train(1024);
        raw.setFeatures(raw.getFeatures().muli(255));
        return new Scenario(Mlp.seededBy(data).build(), raw, null, 32, 1);
    }

    @Override
    public Scenario fixed(GalleryData data) {
        return new Scenario(Mlp.seededBy(data).build(), data.train(1024), null, 32, 1);
    }
}
