package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.samples.ui.UiSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The recurrent gallery sample's fix is DL4J's element-wise clipping worded for the network and confirmed on a copy
 * (its symptom-first and healthy-twin checks run with every sample in {@link GalleryTest}).
 */
class RecurrentGalleryTest {

    @Test
    void explodingRnnIsRootedAtTheRecurrentLayerAndClippingIsConfirmedOnACopy() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
        Outcome buggy = GalleryRunner.run(new ExplodingRnn().buggy(GalleryData.fromDefaultDirectory()),
                UiSession.disabled().newRun("t"), null);

        Incident top = buggy.diagnosis().incidents().get(0);
        assertThat(top.symptom()).isEqualTo(Symptom.EXPLODING_GRADIENT);
        assertThat(top.root().layers()).containsExactly("rnn");
        assertThat(buggy.findings()).anyMatch(f -> f.symptom() == Symptom.EXPLODING_GRADIENT
                && "RW".equals(f.parameter()));
        assertThat(top.fix().get(0)).startsWith(".gradientNormalization(GradientNormalization"
                + ".ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(1.0)");
        assertThat(top.confirmed()).as(String.valueOf(top.verification())).isTrue();
        assertThat(top.verification().remedy().kind()).isEqualTo(Remedy.Kind.CLIP_GRADIENTS);
    }
}
