package io.dl4jdebug.repair;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.facts.NetworkFactsReader;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fixes tried on copies of real networks trained on Fashion-MNIST; the user's network is never touched. */
class FixVerifierTest {

    private static Diagnosis diagnose(org.deeplearning4j.nn.api.Model net, DataSetIterator data, int epochs) {
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false).build().attachTo(net);
        for (int e = 0; e < epochs && suite.firstNonFinite().isEmpty(); e++) {
            data.reset();
            if (net instanceof MultiLayerNetwork m) {
                m.fit(suite.guard(data));
            } else {
                ((ComputationGraph) net).fit(suite.guard(data));
            }
        }
        suite.close();
        return suite.diagnosis();
    }

    @Test
    void negativeBiasFixIsConfirmedOnACopyAndTheUsersNetworkIsUntouched() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().biasInit(-5.0));
        DataSetIterator data = FashionData.iterator(640, 32);
        Diagnosis d = diagnose(net, data, 2);
        assertThat(d.first()).hasValueSatisfying(i -> assertThat(i.symptom()).isEqualTo(Symptom.DEAD_UNITS));
        INDArray params = net.params().dup();
        long iterations = net.getIterationCount();

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(40)).verify(net, d, data);

        Incident first = verified.incidents().get(0);
        assertThat(first.symptom()).isEqualTo(Symptom.DEAD_UNITS);
        assertThat(first.verification().remedy().kind()).isEqualTo(Remedy.Kind.SET_BIAS_INIT);
        assertThat(first.confirmed()).as(first.verification().summary()).isTrue();
        assertThat(first.verification().gone()).contains(Symptom.DEAD_UNITS);
        assertThat(first.verification().fixedAfter()).isLessThan(first.verification().baselineAfter());
        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getIterationCount()).isEqualTo(iterations);
        assertThat(NetworkFactsReader.read(net).layer("h0").orElseThrow().biasInit().getAsDouble()).isEqualTo(-5.0);
    }

    @Test
    void nanFromAHugeSgdRateIsPinnedOnTheRateOnAComputationGraph() {
        ComputationGraph net = TestNets.residual(TestNets.spec().updater(new Sgd(1e4)));
        DataSetIterator data = FashionData.iterator(640, 32);
        Diagnosis d = diagnose(net, data, 1);

        Diagnosis verified = FixVerifier.withDefaults().verify(net, d, data);

        Incident first = verified.incidents().get(0);
        assertThat(first.symptom()).as(verified.incidents().toString()).isEqualTo(Symptom.LEARNING_RATE_TOO_HIGH);
        assertThat(first.confirmed()).as(String.valueOf(first.verification())).isTrue();
        assertThat(first.verification().baselineAfter()).isNaN();
        assertThat(first.fix().get(0)).isEqualTo(".updater(new Sgd(0.05)) instead of new Sgd(1.0e4)");
    }

    @Test
    void aRemedyForAProblemTheNetworkDoesNotHaveIsNotConfirmed() {
        MultiLayerNetwork healthy = TestNets.mlp(TestNets.spec().updater(new Adam(1e-3)));
        DataSetIterator data = FashionData.iterator(640, 32);
        Diagnosis d = io.dl4jdebug.diagnose.Diagnostician.diagnose(java.util.List.of(io.dl4jdebug.diagnose.Finding
                        .builder(Symptom.LOSS_OSCILLATING, io.dl4jdebug.diagnose.Severity.WARN, "made up").build()),
                NetworkFactsReader.read(healthy), io.dl4jdebug.diagnose.LossSummary.none());

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(40)).verify(healthy, d, data);

        Incident only = verified.incidents().get(0);
        assertThat(only.verification()).isNotNull();
        assertThat(only.confirmed()).as(only.verification().summary()).isFalse();
    }

    @Test
    void copiesOfANetworkWithLayerWrappersNeverReportIntoTheUsersProbeSession() {
        io.dl4jdebug.publish.RecordingSink recording = new io.dl4jdebug.publish.RecordingSink(100_000);
        io.dl4jdebug.wrapper.ProbeSession session = io.dl4jdebug.wrapper.ProbeSession.builder().logging(false)
                .sink(recording).build();
        try {
            MultiLayerNetwork net = io.dl4jdebug.wrapper.LayerWrappers.wrap(
                    TestNets.mlp(TestNets.spec().biasInit(-5.0)), session.id());
            session.attachTo(net);
            DataSetIterator data = FashionData.iterator(640, 32);
            Diagnosis d = diagnose(net, data, 2);
            int snapshots = recording.layerProbeSnapshots().size();
            int events = recording.nonFiniteEvents().size();

            Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(20)).verify(net, d, data);

            assertThat(verified.incidents()).as("%s", d).isNotEmpty();
            assertThat(verified.incidents().get(0).verification()).isNotNull();
            assertThat(recording.layerProbeSnapshots()).hasSize(snapshots);
            assertThat(recording.nonFiniteEvents()).hasSize(events);
        } finally {
            session.close();
        }
    }

    @Test
    void budgetsAreValidatedNamingTheField() {
        assertThatThrownBy(() -> new VerifyBudget(0, 3, 2, 0.05, 4)).hasMessage("iterations must be >= 1 but was 0");
        assertThatThrownBy(() -> new VerifyBudget(10, 3, 2, 1.5, 4))
                .hasMessage("minImprovement must be in [0, 1) but was 1.5");
    }
}
