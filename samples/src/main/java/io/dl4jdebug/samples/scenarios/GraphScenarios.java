package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.diagnose.Setting;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelKind;
import io.dl4jdebug.samples.cifar.CifarResNet;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;
import java.util.function.Function;

/**
 * The ComputationGraph scenarios: the case study's small ResNet on generated CIFAR-layout images (widths
 * {@code 8/16}, one block per stage, {@value #IMAGES} images, batch {@value #BATCH}) with and without its bug, and the
 * dense Fashion-MNIST classifier as a graph. Stateless.
 */
final class GraphScenarios {

    static final int[] WIDTHS = {8, 16};
    static final int IMAGES = 160;
    static final int VALIDATION = 64;
    static final int BATCH = 16;

    private GraphScenarios() {
    }

    /** @return the bugs, then the healthy networks */
    static List<LabelledScenario> all() {
        return List.of(
                cg("resnet-zero-gamma", "the case study: every BatchNormalization of a small ResNet built with "
                                + ".gamma(0.0), so the stem outputs zeros and the loss stays at ln(10)",
                        RootCause.of(Symptom.BATCHNORM_MISCONFIGURED, Setting.BATCH_NORMALIZATION, Detection.BEFORE_TRAINING),
                        d -> resnet(d, true, false, 1)),
                cg("cg-adam-lr-too-high", "the dense classifier as a ComputationGraph with Adam(1.0)",
                        RootCause.of(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE, Detection.BEFORE_TRAINING),
                        d -> FashionScenarios.standard(d, DenseNet.seeded(d.seed()).hidden(128, 64, 32)
                                .updater(new Adam(1.0)).graph())),
                cg("healthy-cg-mlp", "784-128-64-10 ReLU MLP as a ComputationGraph, Adam(1e-3)",
                        RootCause.healthy(), d -> FashionScenarios.standard(d, DenseNet.seeded(d.seed()).graph())),
                cg("healthy-resnet-conv-bias", "the small ResNet without its bug, its convolutions with a bias "
                        + "before each BatchNormalization (redundant, harmless)", RootCause.healthy(),
                        d -> resnet(d, false, true, 3)));
    }

    private static LabelledScenario cg(String name, String description, RootCause label,
                                       Function<ScenarioData, ScenarioSetup> builder) {
        return new BuiltScenario(name, description, label, ModelKind.COMPUTATION_GRAPH, builder);
    }

    private static ScenarioSetup resnet(ScenarioData d, boolean zeroGamma, boolean convBias, int epochs) {
        return new ScenarioSetup(CifarResNet.build(WIDTHS, 1, zeroGamma, convBias, d.seed()), d.cifarTrain(IMAGES),
                d.cifarTest(VALIDATION), BATCH, epochs);
    }
}
