package io.dl4jdebug.listener;

import io.dl4jdebug.measure.HostReads;
import io.dl4jdebug.testing.FashionData;
import io.dl4jdebug.testing.TestNets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the host reads (device-to-JVM values, a synchronisation each on CUDA) the whole suite makes per iteration on
 * an MLP with two hidden layers, so that batching cannot silently regress: on an iteration without a scheduled
 * measurement only the {@code NonFiniteDetector}'s checks read (a constant 2 whatever the depth); a measured one
 * adds one read per activation output, two for all parameter norms and one for the parameters' NaN check.
 */
class SuiteHostReadsTest {

    @Test
    void theSuiteReadsAConstantNumberPerIteration() {
        MultiLayerNetwork net = TestNets.mlp(TestNets.spec());
        DebugSuite.builder().logging(false).build().attachTo(net);
        DataSet batch = FashionData.train(32);
        long[] reads = new long[30];
        for (int i = 0; i < reads.length; i++) {
            long before = HostReads.count();
            net.fit(batch);
            reads[i] = HostReads.count() - before;
        }

        // Measured iterations (the dense start 0..19, then 20): activations of h0 and h1 (1 read each), all
        // parameter norms (2), the NonFiniteDetector's parameter check (1). Others (21..29): only the
        // NonFiniteDetector's two every-iteration checks, whatever the depth: the input and every layer output in
        // one read, the flattened gradient in another.
        for (int i = 0; i < reads.length; i++) {
            boolean measured = i < 20 || i % 10 == 0;
            assertThat(reads[i]).as("iteration %d", i).isEqualTo(measured ? 2 + 2 + 2 + 1 : 2);
        }
    }

    @Test
    void aComputationGraphReadsTheSameConstantWhateverItsVertices() {
        // h0, h1, a residual block r1 -> r2 (+ add), the output: the same 2 reads on iterations without a
        // measurement as the MLP; on measured ones 2 + 2 + 1 plus one per activation-monitored layer output.
        ComputationGraph graph = TestNets.residual(TestNets.spec());
        DebugSuite.builder().logging(false).build().attachTo(graph);
        DataSet batch = FashionData.train(32);
        long[] reads = new long[30];
        for (int i = 0; i < reads.length; i++) {
            long before = HostReads.count();
            graph.fit(batch);
            reads[i] = HostReads.count() - before;
        }

        long measuredActivations = reads[0] - 2 - 2 - 1;
        assertThat(measuredActivations).as("one read per measured layer output").isEqualTo(5);
        for (int i = 0; i < reads.length; i++) {
            boolean measured = i < 20 || i % 10 == 0;
            assertThat(reads[i]).as("iteration %d", i).isEqualTo(measured ? reads[0] : 2);
        }
    }
}
