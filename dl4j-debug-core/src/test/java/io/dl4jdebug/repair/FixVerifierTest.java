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

    private static Incident madeUp(int id, Symptom symptom, Remedy... remedies) {
        io.dl4jdebug.diagnose.Finding f = io.dl4jdebug.diagnose.Finding.builder(symptom,
                io.dl4jdebug.diagnose.Severity.WARN, "made up for the test").build();
        return new Incident(id, new io.dl4jdebug.diagnose.SymptomGroup(symptom, io.dl4jdebug.diagnose.Severity.WARN,
                0, java.util.List.of(), java.util.List.of(f)), java.util.List.of(), java.util.List.of(remedies),
                java.util.List.of(), null);
    }

    private static Diagnosis diagnosisOf(Incident... incidents) {
        return new Diagnosis(java.util.List.of(incidents), java.util.List.of(),
                io.dl4jdebug.diagnose.LossSummary.none());
    }

    @Test
    void aRemedyThatMovesTheLossByAFewPercentIsNotConfirmedAndTheNumbersAreRecorded() {
        MultiLayerNetwork healthy = TestNets.mlp(TestNets.spec().updater(new Adam(1e-3)));
        Remedy slightlyFaster = new Remedy(Remedy.Kind.SCALE_LEARNING_RATE, java.util.List.of(), 1.1, "",
                ".updater(new Adam(0.0011)) instead of new Adam(0.001)");
        Diagnosis d = diagnosisOf(madeUp(1, Symptom.LEARNING_RATE_TOO_LOW, slightlyFaster));

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(40)).verify(healthy, d,
                FashionData.iterator(640, 32));

        io.dl4jdebug.diagnose.Verification v = verified.incidents().get(0).verification();
        double lossRatio = v.fixedAfter() / v.baselineAfter();
        assertThat(lossRatio).as(v.summary()).isBetween(0.9, 1.1);
        assertThat(v.confirmed()).as(v.summary()).isFalse();
        io.dl4jdebug.diagnose.Verification.HeldOut h = v.heldOut();
        assertThat(h.metric()).isEqualTo(io.dl4jdebug.diagnose.Verification.Metric.ACCURACY);
        assertThat(h.baseline()).hasSize(3);
        assertThat(h.examples()).isEqualTo(128);
        assertThat(h.source()).isEqualTo("the last 4 of the 20 minibatches read, held back from training");
        assertThat(h.margin()).isEqualTo(0.02);
        assertThat(h.spread()).isEqualTo(java.util.Collections.max(h.baseline())
                - java.util.Collections.min(h.baseline()));
        assertThat(h.improvement()).isLessThanOrEqualTo(h.required());
        assertThat(v.summary()).startsWith("not confirmed on a copy: tried '.updater(new Adam(0.0011)) instead of "
                + "new Adam(0.001)'; held-out accuracy ");
    }

    @Test
    void aSigmoidMseOutputFixedToSoftmaxMcxentIsConfirmedOnHeldOutAccuracy() {
        MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(7).updater(new Sgd(0.1)).weightInit(org.deeplearning4j.nn.weights.WeightInit.RELU).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().name("h0").nIn(TestNets.IN)
                        .nOut(64).activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).name("out").nIn(64)
                        .nOut(TestNets.CLASSES).activation(org.nd4j.linalg.activations.Activation.SIGMOID).build())
                .build());
        net.init();
        Remedy pair = new Remedy(Remedy.Kind.SET_OUTPUT_LOSS, java.util.List.of("out"), 0, "SOFTMAX/MCXENT",
                "out: .activation(Activation.SOFTMAX) with LossFunction.MCXENT instead of SIGMOID with MSE");
        Diagnosis d = diagnosisOf(madeUp(1, Symptom.LOSS_OUTPUT_MISMATCH, pair));

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(40)).verify(net, d,
                FashionData.iterator(640, 32));

        io.dl4jdebug.diagnose.Verification v = verified.incidents().get(0).verification();
        assertThat(v.heldOut().metric()).isEqualTo(io.dl4jdebug.diagnose.Verification.Metric.ACCURACY);
        assertThat(v.confirmed()).as(v.summary()).isTrue();
        assertThat(v.heldOut().fixed()).isGreaterThan(v.heldOut().paired() + v.heldOut().required());
    }

    @Test
    void verificationLeavesNd4jsRandomGeneratorAsItWas() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        Remedy r = new Remedy(Remedy.Kind.SET_BIAS_INIT, java.util.List.of("h0"), 0.01, "", "h0: .biasInit(0.01)");
        Diagnosis d = diagnosisOf(madeUp(1, Symptom.DEAD_UNITS, r));
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(123);
        double[] expected = {org.nd4j.linalg.factory.Nd4j.getRandom().nextDouble(),
                org.nd4j.linalg.factory.Nd4j.getRandom().nextDouble()};
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(123);

        new FixVerifier(VerifyBudget.ofIterations(5)).verify(net, d, FashionData.iterator(128, 32));

        assertThat(org.nd4j.linalg.factory.Nd4j.getRandom().getSeed()).isEqualTo(123);
        assertThat(new double[]{org.nd4j.linalg.factory.Nd4j.getRandom().nextDouble(),
                org.nd4j.linalg.factory.Nd4j.getRandom().nextDouble()}).containsExactly(expected);
    }

    @Test
    void aFailingRemedyIsCountedOneRemedyGetsOneVerdictAndAConfirmedCauseOutranksAnUnconfirmedOne() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec().biasInit(-5.0));
        DataSetIterator data = FashionData.iterator(640, 32);
        Diagnosis real = diagnose(net, data, 2);
        Incident dead = real.first().orElseThrow();
        assertThat(dead.symptom()).isEqualTo(Symptom.DEAD_UNITS);
        Remedy impossible = new Remedy(Remedy.Kind.SET_WIDTH, java.util.List.of("out"), 20, "",
                "out: .nOut(20)");
        Remedy tiny = new Remedy(Remedy.Kind.SET_BIAS_INIT, java.util.List.of("out"), 0.001, "", "out: .biasInit(0.001)");
        Remedy tinyWordedElsewhere = new Remedy(Remedy.Kind.SET_BIAS_INIT, java.util.List.of("out"), 0.001, "",
                "the output layer: .biasInit(0.001)");
        Diagnosis d = diagnosisOf(madeUp(1, Symptom.LOSS_OSCILLATING, impossible, tiny),
                madeUp(2, Symptom.LEARNING_RATE_TOO_LOW, tinyWordedElsewhere),
                dead.with(3, null));
        io.dl4jdebug.publish.FailureTally tally = new io.dl4jdebug.publish.FailureTally();

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(20)).reportFailuresTo(tally)
                .verify(net, d, data);

        assertThat(tally.failures()).extracting(io.dl4jdebug.publish.FailureTally.Failure::name)
                .containsExactly("fix verifier: SET_WIDTH");
        assertThat(tally.failures().get(0).firstWhere()).isEqualTo("trying 'out: .nOut(20)' on a copy");
        assertThat(tally.failures().get(0).firstMessage()).contains("output layer 'out'");
        Incident first = verified.incidents().get(0);
        assertThat(first.symptom()).isEqualTo(Symptom.DEAD_UNITS);
        assertThat(first.confirmed()).as(first.verification().summary()).isTrue();
        Incident oscillating = verified.incidents().stream().filter(i -> i.symptom() == Symptom.LOSS_OSCILLATING)
                .findFirst().orElseThrow();
        Incident slow = verified.incidents().stream().filter(i -> i.symptom() == Symptom.LEARNING_RATE_TOO_LOW)
                .findFirst().orElseThrow();
        assertThat(oscillating.verification()).as("one remedy, one verdict").isSameAs(slow.verification());
        assertThat(oscillating.verification().remedy().text()).isEqualTo("out: .biasInit(0.001)");
        assertThat(oscillating.confirmed()).isFalse();
        assertThat(verified.incidents()).extracting(Incident::id).containsExactly(1, 2, 3);
    }

    @Test
    void budgetsAreValidatedNamingTheField() {
        assertThatThrownBy(() -> new VerifyBudget(0, 3, 2, 0.05, 4)).hasMessage("iterations must be >= 1 but was 0");
        assertThatThrownBy(() -> new VerifyBudget(10, 3, 2, 1.5, 4))
                .hasMessage("minImprovement must be in [0, 1) but was 1.5");
    }
}
