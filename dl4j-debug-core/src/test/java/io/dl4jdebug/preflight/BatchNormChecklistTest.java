package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

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

/** config.batchnorm judges a gamma of 0 by its position in the graph and by measurement on real tiny networks. */
class BatchNormChecklistTest {

    private static final ChecklistConfig CPU = ChecklistConfig.builder().expectedBackend(Backend.CPU).build();
    private static final List<String> ALL_BN = List.of("stem_bn", "b1_bn1", "b1_bn2", "b2_bn1", "b2_bn2");

    private static ChecklistReport run(Model net) {
        return new QuickChecklist(CPU).run(net, iterator(slice(0, 64), 32));
    }

    /**
     * A ResNet-like graph on dense layers: stem (dense, BN, ReLU), two residual blocks (dense-BN-ReLU-dense-BN, add the
     * block's input, ReLU), softmax output.
     */
    private static ComputationGraph residual(boolean stemZero, boolean firstBnZero, boolean lastBnZero) {
        ComputationGraphConfiguration.GraphBuilder g = base().graphBuilder().addInputs("input")
                .setInputTypes(InputType.feedForward(IN))
                .addLayer("stem", fc(), "input")
                .addLayer("stem_bn", bn(stemZero), "stem")
                .addLayer("stem_relu", relu(), "stem_bn");
        String prev = "stem_relu";
        for (String b : List.of("b1", "b2")) {
            g.addLayer(b + "_fc1", fc(), prev)
                    .addLayer(b + "_bn1", bn(firstBnZero), b + "_fc1")
                    .addLayer(b + "_relu1", relu(), b + "_bn1")
                    .addLayer(b + "_fc2", fc(), b + "_relu1")
                    .addLayer(b + "_bn2", bn(lastBnZero), b + "_fc2")
                    .addVertex(b + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b + "_bn2", prev)
                    .addLayer(b + "_relu2", relu(), b + "_add");
            prev = b + "_relu2";
        }
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), prev).setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static DenseLayer fc() {
        return new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build();
    }

    private static BatchNormalization bn(boolean zeroGamma) {
        BatchNormalization.Builder b = new BatchNormalization.Builder();
        if (zeroGamma) {
            b.gamma(0.0);
        }
        return b.build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    @Test
    void gammaZeroOnEveryBatchNormOfAResidualGraphFailsNamingThemAll() {
        ChecklistReport report = run(residual(true, true, true));
        assertThat(report.status("config.batchnorm")).as(report.toText()).isEqualTo(CheckStatus.FAIL);
        List<Finding> found = report.findings(Symptom.BATCHNORM_MISCONFIGURED);
        assertThat(found).as(report.toText()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.layer()).isEqualTo("stem_bn");
            assertThat(f.message()).contains(ALL_BN).contains("stem_bn: gamma gradient 0,")
                    .endsWith("and the output ignores the input");
            assertThat(f.evidence()).containsEntry("layersWithGammaZero", 5.0).containsEntry("gammaGradientNorm", 0.0)
                    .containsEntry("networkOutputSpreadAfterStep", 0.0);
            assertThat(f.suggestions()).singleElement().asString().startsWith(".gamma(1.0)").contains(ALL_BN);
        });
    }

    @Test
    void gammaZeroOnlyOnTheStemBatchNormFailsNamingIt() {
        ChecklistReport report = run(residual(true, false, false));
        assertThat(report.status("config.batchnorm")).as(report.toText()).isEqualTo(CheckStatus.FAIL);
        assertThat(report.findings(Symptom.BATCHNORM_MISCONFIGURED)).singleElement().satisfies(f -> {
            assertThat(f.layer()).isEqualTo("stem_bn");
            assertThat(f.message()).startsWith("BatchNormalization stem_bn starts with gamma 0")
                    .doesNotContain("b1_bn1", "b2_bn2");
            assertThat(f.evidence()).containsEntry("layersWithGammaZero", 1.0)
                    .containsEntry("upstreamParametersWithoutGradient", 2.0);
        });
    }

    @Test
    void gammaZeroOnlyOnTheLastBatchNormOfEachResidualBranchPasses() {
        ChecklistReport report = run(residual(false, false, true));
        assertThat(report.status("config.batchnorm")).as(report.toText()).isEqualTo(CheckStatus.PASS);
        assertThat(report.item("config.batchnorm").orElseThrow().message())
                .contains("gamma 0 on [b1_bn2, b2_bn2] only: zero-init residual");
        assertThat(report.findings(Symptom.BATCHNORM_MISCONFIGURED)).isEmpty();
    }

    @Test
    void gammaZeroOnTheFirstBatchNormOfEachBranchIsNotTheResidualTrick() {
        ChecklistReport report = run(residual(false, true, false));
        assertThat(report.status("config.batchnorm")).as(report.toText()).isNotEqualTo(CheckStatus.PASS);
        // BN(gamma 0) -> ReLU: ReLU'(0) = 0 blocks gamma's own gradient, so the branch never opens; the shortcut
        // keeps the output alive
        assertThat(report.findings(Symptom.BATCHNORM_MISCONFIGURED)).singleElement().satisfies(f -> {
            assertThat(f.layer()).isEqualTo("b1_bn1");
            assertThat(f.message()).contains("b1_bn1, b2_bn1 start with gamma 0").doesNotContain("ignores the input");
            assertThat(f.evidence().get("networkOutputSpreadAfterStep")).isPositive();
        });
    }

    @Test
    void gammaZeroRightBeforeTheOutputLearnsAndIsAWarningNotAFailure() {
        MultiLayerNetwork net = build(base(), dense("h0", IN, 16),
                new BatchNormalization.Builder().gamma(0.0).name("bn").nOut(16).build(), softmaxOut(16));
        ChecklistReport report = run(net);
        assertThat(report.status("config.batchnorm")).as(report.toText()).isEqualTo(CheckStatus.WARN);
        assertThat(report.findings(Symptom.BATCHNORM_MISCONFIGURED)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARN);
            assertThat(f.layer()).isEqualTo("bn");
            assertThat(f.evidence().get("gammaGradientNorm")).isPositive();
            assertThat(f.evidence().get("outputSpreadAfterStep")).isGreaterThan(1e-3);
            assertThat(f.evidence().get("networkOutputSpreadAfterStep")).isPositive();
            assertThat(f.evidence()).containsEntry("upstreamParametersWithoutGradient", 2.0);
        });
    }
}
