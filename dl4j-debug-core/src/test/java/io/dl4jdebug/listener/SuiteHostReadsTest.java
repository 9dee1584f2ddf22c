package io.dl4jdebug.listener;

import io.dl4jdebug.measure.HostReads;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the host reads (device-to-JVM values, a synchronisation each on CUDA) the whole suite makes per iteration on
 * an MLP with two hidden layers, so that batching cannot silently regress: on an iteration without a scheduled
 * measurement only the {@code NonFiniteDetector}'s checks read; the every-10 step adds one read per activation
 * output and two for all parameter norms.
 */
class SuiteHostReadsTest {

    @Test
    void theSuiteReadsAConstantNumberPerIteration() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite.builder().logging(false).build().attachTo(net);
        DataSet batch = FashionData.train(32);
        long[] reads = new long[10];
        for (int i = 0; i < reads.length; i++) {
            long before = HostReads.count();
            net.fit(batch);
            reads[i] = HostReads.count() - before;
        }

        // Iteration 0 holds the every-10 step: activations of h0 and h1 (1 read each), all parameter norms (2).
        long plain = reads[1];
        assertThat(reads[0]).as("the measured iteration").isEqualTo(plain + 2 + 2);
        for (int i = 1; i < reads.length; i++) {
            assertThat(reads[i]).as("iteration %d", i).isEqualTo(plain);
        }
        // NonFiniteDetector: the input and every layer output in one read, the flattened gradient, the parameters.
        assertThat(plain).isEqualTo(3);
    }
}
