package io.dl4jdebug.listener;

import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class ScratchCalibrationTest {

    @Test
    void calibrate() {
        long t0 = System.currentTimeMillis();
        FashionData.train(2048);
        System.out.println("load ms " + (System.currentTimeMillis() - t0));
        for (double lr : new double[] {10, 100, 1e3, 1e4}) {
            MultiLayerNetwork net = TestNets.mlp(TestNets.spec().updater(new Sgd(lr)));
            DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.LOG).logging(false).build().attachTo(net);
            t0 = System.currentTimeMillis();
            net.fit(FashionData.iterator(2048, 64), 2);
            System.out.println("SGD lr=" + lr + " ms=" + (System.currentTimeMillis() - t0) + " event="
                    + suite.firstNonFinite() + " findings=" + suite.findings().size());
        }
        for (int depth : new int[] {6, 10}) {
            int[] hidden = new int[depth];
            java.util.Arrays.fill(hidden, 32);
            MultiLayerNetwork net = TestNets.mlp(TestNets.spec().activation(Activation.SIGMOID).hidden(hidden)
                    .weightInit(WeightInit.XAVIER).updater(new Sgd(0.1)));
            DebugSuite suite = DebugSuite.builder().logging(false).build().attachTo(net);
            net.fit(FashionData.iterator(2048, 64), 1);
            GradientSnapshot s = suite.recording().gradientSnapshots().get(0);
            System.out.println("sigmoid depth " + depth + ": " + s.parameters().stream().map(p ->
                    p.displayName() + "=" + String.format("%.2g", p.gradientNorm())).toList());
            suite.findings().forEach(f -> System.out.println("  " + f.symptom() + " " + f.layer() + "/" + f.parameter()));
        }
        for (double bias : new double[] {-1, -5}) {
            MultiLayerNetwork net = TestNets.mlp(TestNets.spec().biasInit(bias));
            DebugSuite suite = DebugSuite.builder().logging(false).build().attachTo(net);
            net.fit(FashionData.iterator(2048, 64), 1);
            System.out.println("bias " + bias + ": " + suite.recording().activationSnapshots().get(0).layers());
            suite.findings().forEach(f -> System.out.println("  " + f.symptom() + " " + f.layer() + "/" + f.parameter()));
        }
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite suite = DebugSuite.builder().logging(false).build().attachTo(net);
        net.fit(FashionData.iterator(2048, 64), 3);
        System.out.println("healthy score " + net.score() + " findings " + suite.findings());
        System.out.println("healthy last grad " + suite.recording().gradientSnapshots().get(suite.recording().gradientSnapshots().size() - 1));
    }
}
