package io.dl4jdebug.listener;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.testing.FashionData;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transient the dense start exists for, on a real Fashion-MNIST run: weights drawn from N(0, 2) (about 40 times
 * too large for 784 inputs) with SGD 0.2 explode for about five iterations (per-example gradient norms 200 to 3e5
 * at iterations 1-5), then the ReLU units die and the gradients vanish. Measured every 10 iterations with a patience
 * of 2 checks, the explosion is never seen, only its aftermath; the default schedule (each of the first 20
 * iterations) reports it where it happened, before the dead units it leaves behind.
 */
class DenseStartScheduleTest {

    private static MultiLayerNetwork farTooLargeInit() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.2)).weightInit(new NormalDistribution(0, 2.0)).list()
                .layer(new DenseLayer.Builder().name("h0").nIn(784).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("h1").nIn(64).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static List<Finding> train(DebugSuite.Builder builder) {
        MultiLayerNetwork net = farTooLargeInit();
        DebugSuite suite = builder.logging(false).build().attachTo(net);
        net.fit(FashionData.iterator(64 * 40, 64));
        return suite.findings();
    }

    private static List<Finding> of(List<Finding> findings, Symptom symptom) {
        return findings.stream().filter(f -> f.symptom() == symptom).toList();
    }

    @Test
    void everyTenthIterationMissesTheEarlyExplosionAndSeesOnlyItsAftermath() {
        List<Finding> findings = train(DebugSuite.builder()
                .gradientConfig(GradientMonitorConfig.builder().schedule(Schedule.every(10)).build())
                .activationConfig(ActivationMonitorConfig.builder().schedule(Schedule.every(10)).build())
                .lossSchedule(Schedule.every(10)));

        assertThat(of(findings, Symptom.EXPLODING_GRADIENT)).isEmpty();
        assertThat(of(findings, Symptom.DEAD_UNITS)).as("the aftermath, seen from iteration 10")
                .isNotEmpty().allSatisfy(f -> assertThat(f.firstIteration()).isEqualTo(10));
    }

    @Test
    void theDefaultScheduleReportsTheExplosionWhereItHappened() {
        List<Finding> findings = train(DebugSuite.builder());
        List<Finding> exploding = of(findings, Symptom.EXPLODING_GRADIENT);

        assertThat(exploding).isNotEmpty();
        assertThat(exploding).allSatisfy(f -> assertThat(f.firstIteration()).isLessThanOrEqualTo(5));
        assertThat(of(findings, Symptom.DEAD_UNITS)).allSatisfy(f -> assertThat(f.firstIteration()).isLessThan(10));
    }
}
