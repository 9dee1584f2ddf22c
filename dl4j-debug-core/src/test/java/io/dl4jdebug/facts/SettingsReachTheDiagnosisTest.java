package io.dl4jdebug.facts;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Diagnostician;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings read from real configurations reach the diagnosis: the class count behind a parameterless loss layer (as
 * Keras' import writes it), a convolution's channel count that is no bottleneck, and the penalty kind that dominates.
 */
class SettingsReachTheDiagnosisTest {

    /** A run that kept most of its first loss: a bottleneck is loud. */
    private static final LossSummary STALLED = new LossSummary(200, 10, 2.30, 1.9, 1.9, 0, 2);

    private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder list) {
        MultiLayerNetwork n = new MultiLayerNetwork(list.build());
        n.init();
        return n;
    }

    private static List<Symptom> rootSymptoms(Diagnosis d) {
        return d.incidents().stream().map(Incident::symptom).toList();
    }

    @Test
    void aLossLayerAfterADenseSoftmaxCountsTheDenseLayersClasses() {
        NetworkFacts facts = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(20).nOut(2).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("dense").nIn(2).nOut(10).activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("loss")
                        .activation(Activation.IDENTITY).build())));

        assertThat(facts.outputWidth()).isEqualTo(10);
        assertThat(facts.outputActivation().toLowerCase()).contains("softmax");
        assertThat(facts.lossFunction()).containsIgnoringCase("mcxent");
        Diagnosis d = Diagnostician.diagnose(List.of(), facts, STALLED);
        assertThat(d.incidents()).singleElement().satisfies(i -> {
            assertThat(i.symptom()).isEqualTo(Symptom.LAYER_TOO_NARROW);
            assertThat(i.root().layers()).containsExactly("hidden");
        });
    }

    @Test
    void aConvolutionWithFewerChannelsThanClassesIsNoBottleneck() {
        NetworkFacts facts = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv").nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder().name("pool").kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("dense").nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().name("out").nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))));

        assertThat(rootSymptoms(Diagnostician.diagnose(List.of(), facts, STALLED)))
                .doesNotContain(Symptom.LAYER_TOO_NARROW);
    }

    @Test
    void aSoftmaxOnAHiddenLayerIsAVanishingGradientWhoseFixIsTheActivation() {
        NetworkFacts facts = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(20).nOut(64).activation(Activation.SOFTMAX).build())
                .layer(new OutputLayer.Builder().name("out").nIn(64).nOut(10).activation(Activation.SOFTMAX)
                        .build())));

        assertThat(Diagnostician.diagnose(List.of(), facts, STALLED).incidents()).singleElement().satisfies(i -> {
            assertThat(i.symptom()).isEqualTo(Symptom.VANISHING_GRADIENT);
            assertThat(i.root().layers()).containsExactly("hidden");
            assertThat(i.remedies().get(0).kind()).isEqualTo(Remedy.Kind.SET_ACTIVATION);
        });
        LossSummary learned = new LossSummary(200, 10, 2.3, 0.4, 0.4, 0, 2);
        assertThat(Diagnostician.diagnose(List.of(), facts, learned).loud()).as("quiet when the run learned")
                .isEmpty();
    }

    @Test
    void saturationUnderAFixedLargeDistributionIsFixedAtTheInitFirst() {
        NetworkFacts facts = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(20).nOut(32).activation(Activation.TANH)
                        .weightInit(new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, 1)).build())
                .layer(new OutputLayer.Builder().name("out").nIn(32).nOut(10).activation(Activation.SOFTMAX)
                        .build())));
        Finding saturated = Finding.builder(Symptom.SATURATED_ACTIVATIONS, Severity.WARN, "85% at a bound")
                .layer("hidden").firstIteration(0).build();

        List<Remedy> fixes = Diagnostician.diagnose(List.of(saturated), facts, STALLED).incidents().get(0)
                .remedies();
        assertThat(fixes).extracting(Remedy::kind).startsWith(Remedy.Kind.SET_WEIGHT_INIT,
                Remedy.Kind.SET_ACTIVATION);
        assertThat(fixes.get(0).argument()).isEqualTo("XAVIER");
    }

    @Test
    void batchNormFedOneExampleIsFixedByTheBatchSizeAndADataRootNamesItsDataProperty() {
        NetworkFacts facts = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(20).nOut(32).activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().name("bn").build())
                .layer(new OutputLayer.Builder().name("out").nIn(32).nOut(10).activation(Activation.SOFTMAX)
                        .build())));
        Finding one = Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, "minibatches of 1 example")
                .layer("bn").evidence("batchSize", 1).build();
        Incident bn = Diagnostician.diagnose(List.of(one), facts, STALLED).incidents().get(0);
        assertThat(bn.remedies().get(0).kind()).isEqualTo(Remedy.Kind.SET_BATCH_SIZE);
        assertThat(bn.setting()).contains(io.dl4jdebug.diagnose.Setting.BATCH_SIZE);

        Finding leak = Finding.builder(Symptom.DATA_LEAKAGE, Severity.ERROR, "12 examples shared").build();
        Incident leaked = Diagnostician.diagnose(List.of(leak), facts, STALLED).incidents().get(0);
        assertThat(leaked.remedies()).isEmpty();
        assertThat(leaked.setting()).contains(io.dl4jdebug.diagnose.Setting.DATA_SPLIT);
    }

    @Test
    void aLossLayerSquashingBoundedLogitsHasALossFloorAndTheFixFreesTheLogits() {
        for (Activation bounded : List.of(Activation.TANH, Activation.SOFTMAX)) {
            NetworkFacts facts = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                    .layer(new DenseLayer.Builder().name("hidden").nIn(20).nOut(32).activation(Activation.RELU)
                            .build())
                    .layer(new DenseLayer.Builder().name("logits").nIn(32).nOut(10).activation(bounded).build())
                    .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("loss")
                            .activation(Activation.SOFTMAX).build())));

            assertThat(Diagnostician.diagnose(List.of(), facts, STALLED).incidents()).singleElement()
                    .satisfies(i -> {
                        assertThat(i.symptom()).isEqualTo(Symptom.LOSS_OUTPUT_MISMATCH);
                        assertThat(i.root().layers()).containsExactly("logits");
                        assertThat(i.root().worst().evidence().get("lossFloor")).isGreaterThan(0.5);
                        assertThat(i.remedies().get(0).kind()).isEqualTo(Remedy.Kind.SET_ACTIVATION);
                        assertThat(i.remedies().get(0).argument()).isEqualTo("IDENTITY");
                    });
        }
        NetworkFacts healthy = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("logits").nIn(20).nOut(10).activation(Activation.IDENTITY)
                        .build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("loss")
                        .activation(Activation.SOFTMAX).build())));
        assertThat(Diagnostician.diagnose(List.of(), healthy, STALLED).incidents()).isEmpty();
    }

    @Test
    void theStationsBeforeTheRateExplainStepsTooLarge() {
        Finding high = Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, "update:param ratio 0.3")
                .layer("hidden").parameter("W").firstIteration(40).evidence("epoch", 1).build();
        // Adam's beta2 far below 0.999
        assertThat(firstFix(new NeuralNetConfiguration.Builder().updater(new Adam(1e-3, 0.9, 0.05, 1e-8)), high)
                .argument()).isEqualTo("beta2");
        // an epoch schedule that raised the rate 100x at epoch 1
        Remedy schedule = firstFix(new NeuralNetConfiguration.Builder().updater(new Adam(
                new org.nd4j.linalg.schedule.MapSchedule(org.nd4j.linalg.schedule.ScheduleType.EPOCH,
                        java.util.Map.of(0, 1e-3, 1, 1e-1)))), high);
        assertThat(schedule.kind()).isEqualTo(Remedy.Kind.REMOVE_SCHEDULE);
        // l2 of 3 with Sgd(0.1): the penalty alone moves each weight by 30 % per step
        Remedy l2 = firstFix(new NeuralNetConfiguration.Builder().updater(new org.nd4j.linalg.learning.config.Sgd(
                0.1)).l2(3.0), high);
        assertThat(l2.kind()).isEqualTo(Remedy.Kind.SET_L2);
        // none of these: the rate itself
        assertThat(firstFix(new NeuralNetConfiguration.Builder().updater(new Adam(0.5)), high).kind())
                .isEqualTo(Remedy.Kind.SCALE_LEARNING_RATE);
    }

    private static Remedy firstFix(NeuralNetConfiguration.Builder b, Finding finding) {
        NetworkFacts facts = NetworkFactsReader.read(init(b.seed(1).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(20).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().name("out").nIn(32).nOut(10).activation(Activation.SOFTMAX)
                        .build())));
        return Diagnostician.diagnose(List.of(finding), facts, STALLED).incidents().get(0).remedies().get(0);
    }

    @Test
    void aGateSaturatedByItsBiasIsFixedAtTheBias() {
        NetworkFacts facts = NetworkFactsReader.read(init(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("gate").nIn(20).nOut(32).activation(Activation.SIGMOID)
                        .biasInit(-8).build())
                .layer(new OutputLayer.Builder().name("out").nIn(32).nOut(10).activation(Activation.SOFTMAX)
                        .build())));
        Finding saturated = Finding.builder(Symptom.SATURATED_ACTIVATIONS, Severity.WARN, "99% at a bound")
                .layer("gate").firstIteration(0).build();
        Remedy fix = Diagnostician.diagnose(List.of(saturated), facts, STALLED).incidents().get(0).remedies().get(0);
        assertThat(fix.kind()).isEqualTo(Remedy.Kind.SET_BIAS_INIT);
        assertThat(fix.value()).isZero();
    }

    @Test
    void theFixLowersThePenaltyThatIsConfiguredL1AndWeightDecayIncluded() {
        Finding dominates = Finding.builder(Symptom.REGULARIZATION_DOMINATES, Severity.WARN,
                "regularization is 97% of the loss").firstIteration(0).build();
        for (String kind : List.of("l1", "weightDecay")) {
            NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3));
            b = kind.equals("l1") ? b.l1(0.05) : b.weightDecay(100);
            NetworkFacts facts = NetworkFactsReader.read(init(b.list()
                    .layer(new DenseLayer.Builder().name("hidden").nIn(20).nOut(32).activation(Activation.RELU)
                            .build())
                    .layer(new OutputLayer.Builder().name("out").nIn(32).nOut(10).activation(Activation.SOFTMAX)
                            .build())));

            Remedy fix = Diagnostician.diagnose(List.of(dominates), facts, STALLED).incidents().get(0).remedies()
                    .get(0);
            assertThat(fix.kind()).isEqualTo(Remedy.Kind.SET_REGULARIZATION);
            assertThat(fix.argument()).isEqualTo(kind);
            assertThat(fix.value()).isEqualTo(1e-4);
            assertThat(fix.text()).contains("." + kind + "(1.0e-4)");
        }
    }
}
