package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.cli.ui.UiSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The exploding recurrent gallery sample: rooted at the recurrent layer with its recurrent weights, the init fix
 * confirmed on a copy and DL4J's element-wise clipping offered (its symptom-first and healthy-twin checks run with
 * every sample in {@link GalleryTest}).
 */
class RecurrentGalleryTest {

    @Test
    void explodingRnnIsRootedAtTheRecurrentLayerAndInitFixIsConfirmedOnACopy() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
        Outcome buggy = GalleryRunner.run(new ExplodingRnn().buggy(GalleryData.fromDefaultDirectory()),
                UiSession.disabled().newRun("t"), null);

        Incident top = buggy.diagnosis().incidents().get(0);
        assertThat(top.symptom()).isEqualTo(Symptom.EXPLODING_GRADIENT);
        assertThat(top.root().layers()).containsExactly("rnn");
        assertThat(buggy.findings()).anyMatch(f -> f.symptom() == Symptom.EXPLODING_GRADIENT
                && "RW".equals(f.parameter()));
        assertThat(top.remedies().get(0).text()).startsWith("rnn: .weightInit(WeightInit.XAVIER) (and "
                + ".weightInitRecurrent(WeightInit.XAVIER) on the recurrent layers)");
        assertThat(top.remedies()).extracting(Remedy::text).anyMatch(f -> f.startsWith(".gradientNormalization("
                + "GradientNormalization.ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(1.0)"));
        assertThat(top.confirmed()).as(String.valueOf(top.verification())).isTrue();
        assertThat(top.verification().remedy().kind()).isEqualTo(Remedy.Kind.SET_WEIGHT_INIT);
    }
}
