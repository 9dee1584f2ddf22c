package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

import static io.dl4jdebug.preflight.PreflightNets.CLASSES;
import static io.dl4jdebug.preflight.PreflightNets.IN;
import static io.dl4jdebug.preflight.PreflightNets.base;
import static io.dl4jdebug.preflight.PreflightNets.build;
import static io.dl4jdebug.preflight.PreflightNets.dense;
import static io.dl4jdebug.preflight.PreflightNets.iterator;
import static io.dl4jdebug.preflight.PreflightNets.slice;
import static io.dl4jdebug.preflight.PreflightNets.softmaxOut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuickChecklistTest {

    private static final ChecklistConfig CPU = ChecklistConfig.builder().expectedBackend(Backend.CPU).build();

    private static ChecklistReport run(MultiLayerNetwork net, DataSet train, DataSet validation) {
        return new QuickChecklist(CPU).run(net, iterator(train, 50), validation == null ? null
                : iterator(validation, 50));
    }

    private static ChecklistReport run(MultiLayerNetwork net, DataSet train) {
        return run(net, train, null);
    }

    private static void assertOnly(ChecklistReport report, String id, CheckStatus status, Symptom symptom) {
        assertThat(report.status(id)).as(report.toText()).isEqualTo(status);
        assertThat(report.findings()).as(report.toText()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.symptom()).isEqualTo(symptom));
    }

    @Test
    void healthyNetworkAndDataPassEveryItem() {
        MultiLayerNetwork net = PreflightNets.healthy();
        INDArray paramsBefore = net.params().dup();
        ChecklistReport report = run(net, slice(0, 200), slice(200, 300));

        assertThat(report.findings()).as(report.toText()).isEmpty();
        assertThat(report.items()).as(report.toText()).hasSize(17)
                .allSatisfy(i -> assertThat(i.status()).isEqualTo(CheckStatus.PASS));
        assertThat(report.item("loss.init").orElseThrow().evidence().get("initialLoss"))
                .isBetween(0.5 * Math.log(10), 1.5 * Math.log(10));
        // the user's network is never touched
        assertThat(net.params()).isEqualTo(paramsBefore);
        assertThat(net.getIterationCount()).isZero();
    }

    @Test
    void leakedValidationSetIsCaught() {
        ChecklistReport report = run(PreflightNets.healthy(), slice(0, 200), slice(150, 250));
        assertOnly(report, "data.leakage", CheckStatus.FAIL, Symptom.DATA_LEAKAGE);
        Finding f = report.findings(Symptom.DATA_LEAKAGE).get(0);
        assertThat(f.evidence().get("overlapping")).isEqualTo(50.0);
        assertThat(f.level()).isEqualTo(Level.CODE);
    }

    @Test
    void nanInFeaturesIsCaught() {
        DataSet data = slice(0, 100);
        data.getFeatures().putScalar(3, 100, Double.NaN);
        data.getFeatures().putScalar(70, 5, Double.POSITIVE_INFINITY);
        ChecklistReport report = run(PreflightNets.healthy(), data);
        assertThat(report.status("data.finite")).isEqualTo(CheckStatus.FAIL);
        Finding f = report.findings(Symptom.DATA_NON_FINITE).get(0);
        assertThat(f.evidence().get("nonFiniteFeatures")).isEqualTo(2.0);
    }

    @Test
    void unscaledPixelsAreCaught() {
        DataSet data = slice(0, 100);
        data.getFeatures().muli(255);
        ChecklistReport report = run(PreflightNets.healthy(), data);
        assertThat(report.status("data.scale")).as(report.toText()).isEqualTo(CheckStatus.WARN);
        Finding f = report.findings(Symptom.DATA_UNNORMALIZED).get(0);
        assertThat(f.evidence().get("max")).isGreaterThan(200);
        assertThat(f.suggestions()).anyMatch(s -> s.contains("ImagePreProcessingScaler"));
    }

    @Test
    void softmaxTrainedWithMseIsCaught() {
        MultiLayerNetwork net = build(base(), dense("h0", IN, 16),
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(16).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build());
        ChecklistReport report = run(net, slice(0, 100));
        assertThat(report.status("loss.output-fit")).as(report.toText()).isEqualTo(CheckStatus.WARN);
        Finding f = report.findings(Symptom.LOSS_OUTPUT_MISMATCH).get(0);
        assertThat(f.layer()).isEqualTo("out");
        assertThat(f.message()).contains("LossMSE");
        assertThat(report.status("loss.init")).isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void softmaxDenseBeforeALossLayerFitsCrossEntropyAndIdentityDoesNot() {
        // DL4J's Keras import builds Dense(softmax) + a compiled loss as DenseLayer(softmax) + LossLayer(identity)
        MultiLayerNetwork softmax = build(base(), dense("h0", IN, 16),
                new DenseLayer.Builder().name("probs").nIn(16).nOut(CLASSES).activation(Activation.SOFTMAX).build(),
                new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("probs_loss")
                        .activation(Activation.IDENTITY).build());
        ChecklistReport fits = run(softmax, slice(0, 100));
        assertThat(fits.status("loss.output-fit")).as(fits.toText()).isEqualTo(CheckStatus.PASS);

        MultiLayerNetwork identity = new MultiLayerNetwork(base().list().layer(dense("h0", IN, 16))
                .layer(new DenseLayer.Builder().name("scores").nIn(16).nOut(CLASSES).activation(Activation.IDENTITY)
                        .build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("scores_loss")
                        .activation(Activation.IDENTITY).build())
                .validateOutputLayerConfig(false).build());
        identity.init();
        ChecklistReport wrong = run(identity, slice(0, 100));
        assertThat(wrong.status("loss.output-fit")).as(wrong.toText()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void sigmoidWithMulticlassCrossEntropyFails() {
        // DL4J refuses this pair unless its own validation is switched off, as a user may have done
        MultiLayerNetwork net = new MultiLayerNetwork(base().list().layer(dense("h0", IN, 16))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(CLASSES)
                        .activation(Activation.SIGMOID).build())
                .validateOutputLayerConfig(false).build());
        net.init();
        ChecklistReport report = run(net, slice(0, 100));
        assertThat(report.status("loss.output-fit")).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.LOSS_OUTPUT_MISMATCH)).hasSize(1);
    }

    @Test
    void invalidLabelsAreCaught() {
        DataSet data = slice(0, 100);
        data.getLabels().muli(2);
        ChecklistReport report = run(PreflightNets.healthy(), data);
        assertThat(report.status("labels.valid")).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.LABELS_INVALID).get(0).evidence().get("rowsNotSummingToOne"))
                .isEqualTo(100.0);
    }

    @Test
    void classImbalanceIsCaught() {
        DataSet pool = slice(0, 600);
        List<DataSet> kept = new ArrayList<>();
        int[] perClass = new int[CLASSES];
        for (DataSet one : pool.asList()) {
            int cls = one.getLabels().argMax(1).getInt(0);
            if (cls == 0 || perClass[cls] < 2) {
                kept.add(one);
                perClass[cls]++;
            }
        }
        ChecklistReport report = run(PreflightNets.healthy(), DataSet.merge(kept));
        assertThat(report.status("labels.balance")).as(report.toText()).isEqualTo(CheckStatus.WARN);
        assertThat(report.findings(Symptom.CLASS_IMBALANCE).get(0).evidence().get("ratio")).isGreaterThan(10);
    }

    @Test
    void outputWidthDifferentFromLabelsIsCaught() {
        MultiLayerNetwork net = build(base(), dense("h0", IN, 16),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(5)
                        .activation(Activation.SOFTMAX).build());
        ChecklistReport report = run(net, slice(0, 100));
        assertThat(report.status("model.forward")).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.SHAPE_MISMATCH)).hasSize(1);
        assertThat(report.status("gradients.reach-parameters")).isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void largeInitialLossIsCaught() {
        MultiLayerNetwork net = build(base(), dense("h0", IN, 16),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(CLASSES)
                        .activation(Activation.SOFTMAX)
                        .weightInit(new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, 10)).build());
        DataSet data = slice(0, 100);
        ChecklistReport report = run(net, data);
        assertThat(report.status("loss.init")).as(report.toText()).isEqualTo(CheckStatus.WARN);
        assertThat(report.findings(Symptom.INIT_LOSS_UNEXPECTED).get(0).layer()).isEqualTo("out");
    }

    @Test
    void lockedZeroGammaBatchNormBlocksGradientsAndIsNamed() {
        MultiLayerNetwork net = build(base(), dense("h0", IN, 16),
                new BatchNormalization.Builder(0.0, 0.0, true).name("bn").nOut(16).build(),
                dense("h1", 16, 16), softmaxOut(16));
        ChecklistReport report = run(net, slice(0, 100));
        assertThat(report.status("gradients.reach-parameters")).as(report.toText()).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.GRADIENT_MISSING)).extracting(Finding::layer).containsOnly("h0");
        assertThat(report.findings(Symptom.GRADIENT_MISSING)).extracting(Finding::parameter)
                .containsExactlyInAnyOrder("W", "b");
        assertThat(report.status("config.batchnorm")).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.BATCHNORM_MISCONFIGURED).get(0).layer()).isEqualTo("bn");
        // the missing gradient explains the unchanged weights: not reported twice
        assertThat(report.status("parameters.update")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void zeroGammaOnTheOnlyBatchNormWarnsAndHealthyBatchNormPasses() {
        MultiLayerNetwork broken = build(base(), dense("h0", IN, 16),
                new BatchNormalization.Builder().gamma(0.0).name("bn").nOut(16).build(), softmaxOut(16));
        ChecklistReport bad = run(broken, slice(0, 100));
        // issue 12: right before the output, gamma still gets a gradient and learns: a warning, not a failure
        assertThat(bad.status("config.batchnorm")).as(bad.toText()).isEqualTo(CheckStatus.WARN);

        MultiLayerNetwork healthy = build(base(), dense("h0", IN, 16),
                new BatchNormalization.Builder().name("bn").nOut(16).build(), softmaxOut(16));
        ChecklistReport good = run(healthy, slice(0, 100));
        assertThat(good.status("config.batchnorm")).isEqualTo(CheckStatus.PASS);
        assertThat(good.findings()).as(good.toText()).isEmpty();
    }

    @Test
    void zeroLearningRateIsCaughtAsNotUpdatingAndTooLow() {
        ChecklistReport report = run(PreflightNets.healthy(new Sgd(0.0)), slice(0, 100));
        assertThat(report.status("parameters.update")).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.WEIGHTS_NOT_UPDATING)).hasSize(4);
        assertThat(report.status("optimizer.learning-rate")).isEqualTo(CheckStatus.WARN);
        assertThat(report.findings(Symptom.LEARNING_RATE_TOO_LOW)).hasSize(1);
    }

    @Test
    void tooHighAdamLearningRateWarns() {
        ChecklistReport report = run(PreflightNets.healthy(new Adam(0.5)), slice(0, 100));
        assertThat(report.status("optimizer.learning-rate")).isEqualTo(CheckStatus.WARN);
        assertThat(report.findings(Symptom.LEARNING_RATE_TOO_HIGH).get(0).evidence().get("learningRate"))
                .isEqualTo(0.5);
    }

    @Test
    void gaussianDropoutTakesTheShareToDropAndALargeRateWarns() {
        MultiLayerNetwork noisy = build(base(), new DenseLayer.Builder().name("h0").nIn(IN).nOut(16)
                .activation(Activation.RELU).dropOut(new GaussianDropout(0.9)).build(), softmaxOut(16));
        ChecklistReport bad = run(noisy, slice(0, 100));
        assertThat(bad.status("config.dropout")).isEqualTo(CheckStatus.WARN);
        assertThat(bad.findings(Symptom.DROPOUT_MISCONFIGURED)).singleElement().satisfies(f -> {
            assertThat(f.layer()).isEqualTo("h0");
            assertThat(f.evidence().get("noiseStd")).isCloseTo(3.0, within(1e-9));
            assertThat(f.suggestions().get(0)).contains("new GaussianDropout(0.1)");
        });
        MultiLayerNetwork mild = build(base(), new DenseLayer.Builder().name("h0").nIn(IN).nOut(16)
                .activation(Activation.RELU).dropOut(new GaussianDropout(0.1)).build(), softmaxOut(16));
        assertThat(run(mild, slice(0, 100)).status("config.dropout")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void aBatchNormEpsilonThatOutweighsTheVarianceWarnsAndTheDefaultPasses() {
        MultiLayerNetwork large = build(base(), dense("h0", IN, 16),
                new BatchNormalization.Builder().eps(100).name("bn").nOut(16).build(), softmaxOut(16));
        ChecklistReport report = run(large, slice(0, 100));
        assertThat(report.status("config.batchnorm")).isEqualTo(CheckStatus.WARN);
        assertThat(report.findings(Symptom.BATCHNORM_MISCONFIGURED)).singleElement().satisfies(f -> {
            assertThat(f.layer()).isEqualTo("bn");
            assertThat(f.evidence()).containsEntry("eps", 100.0);
        });
        MultiLayerNetwork usual = build(base(), dense("h0", IN, 16),
                new BatchNormalization.Builder().name("bn").nOut(16).build(), softmaxOut(16));
        assertThat(run(usual, slice(0, 100)).status("config.batchnorm")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void theEffectiveStepOfMomentumAndSummedGradientsIsJudged() {
        ChecklistReport momentum = run(PreflightNets.healthy(new Nesterovs(0.05, 0.999)), slice(0, 100));
        assertThat(momentum.findings(Symptom.LEARNING_RATE_TOO_HIGH)).singleElement().satisfies(f -> {
            assertThat(f.evidence().get("effectiveLearningRate")).isCloseTo(50, within(1e-6));
            assertThat(f.message()).contains("1 - momentum 0.999");
        });
        MultiLayerNetwork summed = PreflightNets.build(PreflightNets.base().updater(new Sgd(0.1)).miniBatch(false),
                PreflightNets.dense("h0", IN, 16), softmaxOut(16));
        assertThat(run(summed, slice(0, 100)).findings(Symptom.LEARNING_RATE_TOO_HIGH)).singleElement()
                .satisfies(f -> assertThat(f.evidence().get("summedOver")).isGreaterThan(1));

        assertThat(run(PreflightNets.healthy(new Nesterovs(0.05, 0.9)), slice(0, 100))
                .status("optimizer.learning-rate")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void dropoutThatKeepsTenPercentIsFlaggedAndEightyPercentPasses() {
        MultiLayerNetwork low = build(base(), new DenseLayer.Builder().name("h0").nIn(IN).nOut(16)
                .activation(Activation.RELU).dropOut(0.1).build(), softmaxOut(16));
        ChecklistReport bad = run(low, slice(0, 100));
        assertThat(bad.status("config.dropout")).isEqualTo(CheckStatus.WARN);
        assertThat(bad.findings(Symptom.DROPOUT_MISCONFIGURED).get(0).layer()).isEqualTo("h0");
        assertThat(bad.findings(Symptom.DROPOUT_MISCONFIGURED).get(0).suggestions().get(0)).contains(".dropOut(0.9)");

        MultiLayerNetwork ok = build(base(), new DenseLayer.Builder().name("h0").nIn(IN).nOut(16)
                .activation(Activation.RELU).dropOut(0.8).build(), softmaxOut(16));
        ChecklistReport good = run(ok, slice(0, 100));
        assertThat(good.status("config.dropout")).isEqualTo(CheckStatus.PASS);
        assertThat(good.status("env.determinism")).as("dropout with a re-seeded RNG is reproducible")
                .isEqualTo(CheckStatus.PASS);
    }

    @Test
    void unexpectedBackendIsAFindingNotACrash() {
        ChecklistReport report = new QuickChecklist(ChecklistConfig.builder().expectedBackend(Backend.CUDA).build())
                .run(PreflightNets.healthy(), iterator(slice(0, 100), 50));
        assertThat(report.status("env.backend")).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.BACKEND_MISMATCH).get(0).message()).contains("CUDA backend expected");
    }

    @Test
    void backendItemRunsTheKernelProbeInProcessOnCpuByDefault() {
        ChecklistReport report = QuickChecklist.withDefaults().run(PreflightNets.healthy(),
                iterator(slice(0, 100), 50));
        ChecklistItem backend = report.item("env.backend").orElseThrow();

        assertThat(backend.status()).as(report.toText()).isEqualTo(CheckStatus.PASS);
        assertThat(backend.message()).startsWith("ND4J runs on CPU (CpuBackend) (no backend expectation set); a tiny "
                + "mmul/sigmoid/sum/conv2d ran correctly").endsWith("in process");
        assertThat(backend.evidence()).containsEntry("childJvm", 0.0).containsKey("maxRelativeError");
        assertThat(report.items().get(0).id()).as("the backend is checked first").isEqualTo("env.backend");
    }

    @Test
    void backendAloneCanBeCheckedBeforeANetworkExistsAndTheProbeCanBeOff() {
        ChecklistReport report = new QuickChecklist(ChecklistConfig.builder().expectedBackend(Backend.CPU)
                .kernelProbeMode(KernelProbeMode.OFF).build()).checkBackend();

        assertThat(report.items()).hasSize(1);
        assertThat(report.findings()).isEmpty();
        assertThat(report.item("env.backend").orElseThrow().message()).isEqualTo("ND4J runs on CPU (CpuBackend), as "
                + "expected; the kernel probe is off (ChecklistConfig.kernelProbeMode)");
    }

    @Test
    void aFailingChildJvmProbeIsABackendMismatchAndSkipsEveryOtherItem() {
        // a genuine failure: a child JVM killed after 1 ms
        ChecklistConfig config = ChecklistConfig.builder().kernelProbeMode(KernelProbeMode.CHILD_JVM)
                .kernelProbeTimeout(java.time.Duration.ofMillis(1)).build();
        ChecklistReport report = new QuickChecklist(config).run(PreflightNets.healthy(), iterator(slice(0, 100), 50));

        assertThat(report.status("env.backend")).isEqualTo(CheckStatus.FAIL);
        Finding f = report.findings(Symptom.BACKEND_MISMATCH).get(0);
        assertThat(f.level()).isEqualTo(Level.CODE);
        assertThat(f.severity()).isEqualTo(io.dl4jdebug.diagnose.Severity.ERROR);
        assertThat(f.message()).contains("a tiny mmul/sigmoid/sum/conv2d does not work there")
                .contains("timeout of 0.001 s");
        assertThat(f.evidence()).containsEntry("timeoutSeconds", 0.001).containsEntry("childJvm", 1.0);
        assertThat(f.suggestions().get(0)).contains("kernelProbeTimeout");
        assertThat(report.findings()).hasSize(1);
        assertThat(report.items()).hasSize(17).filteredOn(i -> !i.id().equals("env.backend"))
                .allSatisfy(i -> assertThat(i.status()).isEqualTo(CheckStatus.SKIPPED))
                .allSatisfy(i -> assertThat(i.message()).contains("see env.backend"));
    }

    @Test
    void unsetSeedAndNondeterministicLayerAreCaught() {
        MultiLayerNetwork net = build(new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)),
                new DenseLayer.Builder().name("h0").nIn(IN).nOut(16).activation(new NoisyIdentity()).build(),
                softmaxOut(16));
        ChecklistReport report = run(net, slice(0, 100));
        assertThat(report.status("env.seed")).isEqualTo(CheckStatus.WARN);
        assertThat(report.status("env.determinism")).as(report.toText()).isEqualTo(CheckStatus.WARN);
        assertThat(report.findings(Symptom.NONDETERMINISTIC)).hasSize(2);
    }

    @Test
    void emptyIteratorFailsAndDependentChecksAreSkipped() {
        ChecklistReport report = new QuickChecklist(CPU).run(PreflightNets.healthy(),
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(List.of(), 10));
        assertThat(report.status("data.loads")).isEqualTo(CheckStatus.FAIL);
        assertThat(report.status("gradients.reach-parameters")).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.status("config.dropout")).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void aCheckThatCrashesIsAWarnItemWithAFindingNotAHiddenSkip() {
        // DL4J cannot backpropagate softmax + MCXENT with a per-output label mask: the forward pass and the loss run,
        // every backward pass throws UnsupportedOperationException
        DataSet data = slice(0, 64);
        DataSet perOutputMask = new DataSet(data.getFeatures(), data.getLabels(), null, Nd4j.ones(64, CLASSES));
        ChecklistReport report = new QuickChecklist(CPU).run(PreflightNets.healthy(),
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(List.of(perOutputMask), 64));

        assertThat(report.status("model.forward")).as(report.toText()).isEqualTo(CheckStatus.PASS);
        ChecklistItem crashed = report.item("gradients.reach-parameters").orElseThrow();
        assertThat(crashed.status()).as(report.toText()).isEqualTo(CheckStatus.WARN);
        assertThat(crashed.message()).startsWith("check gradients.reach-parameters could not run: ")
                .contains("Per output masking");
        assertThat(report.findings()).filteredOn(f -> f.message().equals(crashed.message())).singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(io.dl4jdebug.diagnose.Severity.WARN);
                    assertThat(f.symptom()).isEqualTo(Symptom.GRADIENT_MISSING);
                    assertThat(f.suggestions()).isNotEmpty();
                });
        assertThat(report.items()).as("no crash hides as SKIPPED").noneMatch(i -> i.status() == CheckStatus.SKIPPED
                && i.message().contains("could not run"));
        assertThat(report.hasProblems()).isTrue();
    }

    @Test
    void configValidationNamesFieldValueAndRange() {
        assertThatThrownBy(() -> ChecklistConfig.builder().maxBatches(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBatches must be >= 1 but was 0");
        assertThatThrownBy(() -> ChecklistConfig.builder().minDropoutRetain(1.5).build())
                .hasMessageContaining("minDropoutRetain must be in (0, 1] but was 1.5");
        assertThatThrownBy(() -> ChecklistConfig.builder().kernelProbeMode(null).build())
                .hasMessage("kernelProbeMode must be one of [OFF, IN_PROCESS, CHILD_JVM, AUTO] but was null");
        assertThatThrownBy(() -> ChecklistConfig.builder().kernelProbeTimeout(java.time.Duration.ofSeconds(-1))
                .build()).hasMessage("kernelProbeTimeout must be a duration > 0 but was PT-1S");
        assertThat(ChecklistConfig.defaults().kernelProbeMode()).isEqualTo(KernelProbeMode.AUTO);
        assertThat(KernelProbeMode.AUTO.resolve(Backend.CPU)).isEqualTo(KernelProbeMode.IN_PROCESS);
        assertThat(KernelProbeMode.AUTO.resolve(Backend.CUDA)).isEqualTo(KernelProbeMode.CHILD_JVM);
        assertThat(KernelProbeMode.OFF.resolve(Backend.CUDA)).isEqualTo(KernelProbeMode.OFF);
        assertThatThrownBy(() -> new ChecklistReport(List.of(), List.of()).status("nope"))
                .hasMessageContaining("no checklist item 'nope'");
        assertThat(Nd4j.getBackend()).isNotNull();
    }
}
