package io.dl4jdebug.repair;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.testing.RnnNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic recurrent failure on a real run: an LSTM with a far too large initialisation (N(0, 0.7) for 32 units) on 100-step masked
 * sequences, whose gradients (recurrent weights RW included) explode until the loss is NaN. The diagnosis names it,
 * the fix is DL4J's element-wise clipping worded from this network, truncated BPTT is offered, and the clipping is
 * confirmed on a copy. Its twin (Xavier init and Adam, same data) stays silent.
 */
class RecurrentExplodingTest {

    private static DebugSuite train(MultiLayerNetwork net, DataSetIterator data, int epochs) {
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false).build().attachTo(net);
        for (int e = 0; e < epochs && suite.firstNonFinite().isEmpty(); e++) {
            data.reset();
            net.fit(suite.guard(data));
        }
        suite.close();
        return suite;
    }

    @Test
    void explodingLstmIsDiagnosedAndElementWiseClippingIsConfirmedOnACopy() {
        MultiLayerNetwork net = RnnNets.sumWithInit(1, 0.7, 0.01);
        DataSetIterator data = RnnNets.sumIterator(320, 50, 100, 32);
        DebugSuite suite = train(net, data, 2);

        List<Finding> exploding = suite.findings().stream()
                .filter(f -> f.symptom() == Symptom.EXPLODING_GRADIENT).toList();
        assertThat(exploding).extracting(Finding::layer).contains("lstm");
        assertThat(suite.recording().gradientSnapshots()).as("the recurrent weights' gradient is measured")
                .anyMatch(s -> s.parameters().stream().anyMatch(p -> p.layer().equals("lstm")
                        && p.key().equals("RW") && p.gradientNorm() > 100));
        Diagnosis d = suite.diagnosis();
        Incident first = d.first().orElseThrow();
        assertThat(first.root().layers()).as("%s", d).contains("lstm");
        assertThat(first.remedies()).extracting(Remedy::kind).containsExactly(Remedy.Kind.SET_WEIGHT_INIT,
                Remedy.Kind.CLIP_GRADIENTS, Remedy.Kind.SCALE_LEARNING_RATE, Remedy.Kind.TRUNCATE_BPTT);
        assertThat(first.remedies().get(0).text()).startsWith("lstm, out: .weightInit(WeightInit.XAVIER) (and "
                + ".weightInitRecurrent(WeightInit.XAVIER) on the recurrent layers)");
        assertThat(first.remedies().get(1).text()).contains(
                ".gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)"
                        + ".gradientNormalizationThreshold(1.0)", "recurrent layers lstm");
        assertThat(first.remedies()).extracting(Remedy::text)
                .anyMatch(t -> t.contains(".backpropType(BackpropType.TruncatedBPTT).tBPTTLength(20)"))
                .anyMatch(t -> t.contains(".updater(new Sgd("));

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(30)).verify(net, d, data);

        Incident v = verified.incidents().get(0);
        assertThat(v.confirmed()).as("%s", v.verification()).isTrue();
        assertThat(v.verification().remedy().kind()).isIn(Remedy.Kind.SET_WEIGHT_INIT, Remedy.Kind.CLIP_GRADIENTS);
        assertThat(v.verification().fixedAfter()).isFinite();

        // Clipping alone, on a copy, is confirmed too: the loss is finite and lower, though raw gradients stay large.
        Remedy clip = first.remedies().get(1);
        Incident clipOnly = new Incident(first.id(), first.root(), first.consequences(), List.of(clip),
                first.advice(), null);
        Diagnosis onlyClip = new FixVerifier(VerifyBudget.ofIterations(30)).verify(net, new Diagnosis(
                List.of(clipOnly), d.dismissed(), d.loss()), data);
        assertThat(onlyClip.incidents().get(0).confirmed()).as("%s", onlyClip.incidents().get(0).verification())
                .isTrue();
    }

    @Test
    void truncatedBpttRemedyRunsOnACopyWithTheNetworksTbpttSet() {
        MultiLayerNetwork net = RnnNets.sumWithInit(1, 0.7, 0.01);
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        RemedyApplier.applyToNetwork(new Remedy(Remedy.Kind.TRUNCATE_BPTT, List.of(), 20, "", "t"), conf);
        assertThat(conf.getBackpropType()).isEqualTo(org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT);
        assertThat(conf.getTbpttFwdLength()).isEqualTo(20);
        assertThat(conf.getTbpttBackLength()).isEqualTo(20);
        assertThat(net.getLayerWiseConfigurations().getBackpropType())
                .isEqualTo(org.deeplearning4j.nn.conf.BackpropType.Standard);
    }

    @Test
    void theSameLstmWithXavierInitAndAdamStaysSilentOnTheSameSequences() {
        MultiLayerNetwork net = RnnNets.sum(1, 32, new org.nd4j.linalg.learning.config.Adam(1e-2), 0);
        DebugSuite suite = train(net, RnnNets.sumIterator(320, 50, 100, 32), 2);

        assertThat(suite.findings()).isEmpty();
        assertThat(suite.firstNonFinite()).isEmpty();
    }
}
