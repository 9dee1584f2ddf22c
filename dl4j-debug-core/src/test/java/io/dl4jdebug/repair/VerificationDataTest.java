package io.dl4jdebug.repair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.diagnose.Verification;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.RnnNets;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the copies train and are judged on: held-back minibatches or the caller's validation data, a remedy of the
 * data (batch size, normalisation) on real Fashion-MNIST minibatches, the regression metric of a recurrent network,
 * and the verification's numbers and failures in the JSON report.
 */
class VerificationDataTest {

    private static Incident incident(Symptom symptom, Remedy... remedies) {
        Finding f = Finding.builder(symptom, Severity.WARN, "made up for the test").build();
        return new Incident(1, new SymptomGroup(symptom, Severity.WARN, 0, List.of(), List.of(f)), List.of(),
                List.of(remedies), List.of(), null);
    }

    private static Diagnosis diagnosis(Incident i) {
        return new Diagnosis(List.of(i), List.of(), LossSummary.none());
    }

    @Test
    void theLastMinibatchesAreHeldBackOrTheLastQuarterOfASingleOne() {
        List<DataSet> batches = FashionData.train(320).batchBy(32);
        TrialData split = TrialData.split(batches, 4);
        assertThat(split.train()).hasSize(8);
        assertThat(split.heldOut().numExamples()).isEqualTo(64);
        assertThat(split.heldOut().getFeatures()).isEqualTo(DataSet.merge(batches.subList(8, 10)).getFeatures());

        TrialData one = TrialData.split(List.of(FashionData.train(40)), 4);
        assertThat(one.train()).hasSize(1);
        assertThat(one.train().get(0).numExamples()).isEqualTo(30);
        assertThat(one.heldOut().numExamples()).isEqualTo(10);
        assertThat(one.source()).isEqualTo("the last 10 of the 40 examples of the only minibatch, held back from "
                + "training");
        assertThatThrownBy(() -> TrialData.split(List.of(FashionData.train(1)), 4))
                .hasMessageContaining("at least 2 are needed");
    }

    @Test
    void aBatchSizeRemedyRebatchesTheCopysTrainingDataAndIsJudgedOnTheCallersValidationData() {
        TrialData data = new TrialData(FashionData.train(320).batchBy(32), FashionData.train(384).batchBy(64).get(5),
                "validation");
        Remedy bigger = new Remedy(Remedy.Kind.SET_BATCH_SIZE, List.of(), 100, "", "minibatches of 100");
        TrialData rebatched = data.forRemedy(bigger);
        assertThat(rebatched.train()).extracting(DataSet::numExamples).containsExactly(100, 100, 100, 20);
        assertThat(rebatched.heldOut()).isSameAs(data.heldOut());

        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DataSetIterator train = FashionData.iterator(320, 32);
        DataSetIterator validation = new ListDataSetIterator<>(FashionData.train(512).asList().subList(384, 512), 64);
        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(10)).verify(net,
                diagnosis(incident(Symptom.LOSS_OSCILLATING, bigger)), train, validation);

        Verification v = verified.incidents().get(0).verification();
        assertThat(v).isNotNull();
        assertThat(v.heldOut().examples()).isEqualTo(128);
        assertThat(v.heldOut().source()).isEqualTo("the first 2 minibatches of the validation data");
    }

    @Test
    void normalisingTheInputAlsoNormalisesTheHeldOutExamplesWithTheTrainingStatistics() {
        DataSet pixels = FashionData.train(256);
        pixels.setFeatures(pixels.getFeatures().mul(255));
        TrialData raw = TrialData.split(pixels.batchBy(32), 4);
        TrialData normalised = raw.forRemedy(new Remedy(Remedy.Kind.NORMALIZE_INPUT, List.of(), 0, "", "normalise"));
        double trainMean = DataSet.merge(normalised.train()).getFeatures().meanNumber().doubleValue();
        assertThat(trainMean).isBetween(-1e-3, 1e-3);
        assertThat(normalised.heldOut().getFeatures().meanNumber().doubleValue()).isBetween(-0.5, 0.5);
        assertThat(raw.heldOut().getFeatures().maxNumber().doubleValue()).isGreaterThan(100);
    }

    @Test
    void aRegressionNetworkIsComparedOnItsOriginalLossOverMaskedTimeSteps() {
        MultiLayerNetwork net = RnnNets.sum(1, 8, new org.nd4j.linalg.learning.config.Adam(1e-2), 0);
        DataSetIterator data = RnnNets.sumIterator(64, 4, 8, 16);
        Remedy tiny = new Remedy(Remedy.Kind.SET_BIAS_INIT, List.of("out"), 0.001, "", "out: .biasInit(0.001)");

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(5)).verify(net,
                diagnosis(incident(Symptom.LOSS_OSCILLATING, tiny)), data);

        Verification.HeldOut h = verified.incidents().get(0).verification().heldOut();
        assertThat(h.metric()).isEqualTo(Verification.Metric.LOSS);
        assertThat(h.baseline()).hasSize(3).allMatch(Double::isFinite);
        assertThat(h.margin()).isEqualTo(0.05 * h.paired());
        assertThat(verified.incidents().get(0).confirmed()).as(h.describe()).isFalse();
    }

    @Test
    void theJsonReportCarriesTheHeldOutNumbersAndTheRemediesThatFailedOnACopy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.LOG).logging(false).report(file).build()
                .attachTo(net);
        DataSetIterator data = FashionData.iterator(128, 32);
        net.fit(data);
        suite.close();
        Remedy impossible = new Remedy(Remedy.Kind.SET_GAMMA, List.of("h0"), 1, "", "h0: .gamma(1.0)");
        Remedy tiny = new Remedy(Remedy.Kind.SET_BIAS_INIT, List.of("h0"), 0.001, "", "h0: .biasInit(0.001)");

        Diagnosis verified = new FixVerifier(VerifyBudget.ofIterations(3)).reportFailuresTo(suite.failureTally())
                .verify(net, diagnosis(incident(Symptom.DEAD_UNITS, impossible, tiny)), data);
        suite.publish(verified);

        JsonNode r = new ObjectMapper().readTree(file.toFile());
        JsonNode failure = r.get("failures").get(0);
        assertThat(failure.get("name").asText()).isEqualTo("fix verifier: SET_GAMMA");
        assertThat(failure.get("firstWhere").asText()).isEqualTo("trying 'h0: .gamma(1.0)' on a copy");
        assertThat(failure.get("firstMessage").asText()).contains("none is a BatchNormalization layer");
        JsonNode v = r.get("incidents").get(0).get("verification");
        assertThat(v.get("fix").asText()).isEqualTo("h0: .biasInit(0.001)");
        JsonNode h = v.get("heldOut");
        assertThat(h.get("metric").asText()).isEqualTo("ACCURACY");
        assertThat(h.get("baseline")).hasSize(3);
        assertThat(h.get("margin").asDouble()).isEqualTo(0.02);
        assertThat(h.get("required").asDouble()).isEqualTo(Math.max(0.02, h.get("spread").asDouble()));
        assertThat(v.get("confirmed").asBoolean()).isFalse();
    }
}
