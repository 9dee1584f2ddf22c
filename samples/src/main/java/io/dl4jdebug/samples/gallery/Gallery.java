package io.dl4jdebug.samples.gallery;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The gallery's samples, in the order they are listed. Stateless. */
public final class Gallery {

    private static final List<GallerySample> ALL = List.of(new LearningRateTooHigh(), new DeepSigmoid(),
            new DeadRelu(), new Overfitting(), new UnnormalizedPixels(), new FrozenLayer(), new LeakedValidation(),
            new ExplodingRnn(), new SaturatedRnn());

    private Gallery() {
    }

    /** @return every sample */
    public static List<GallerySample> all() {
        return ALL;
    }

    /**
     * @param name a sample's name
     * @return the sample, empty when no sample has that name
     */
    public static Optional<GallerySample> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return the names, comma separated */
    public static String names() {
        return ALL.stream().map(GallerySample::name).collect(Collectors.joining(", "));
    }
}
