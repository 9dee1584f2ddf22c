package io.dl4jdebug.samples.bench;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.listener.DebugSuite;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bench's LSTM workload: Fashion-MNIST sequences that a fresh LSTM fits with the suite attached. */
class LstmWorkloadTest {

    @Test
    void lstmWorkloadFitsSequencesWithTheSuiteAttached() {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed (scripts/setup-os.sh)");
        Workload w = Workload.lstm(FashionMnist.defaultDirectory(), 16);
        assertThat(w.batches()).hasSize(Workload.BATCHES);
        assertThat(w.batches().get(0).getFeatures().shape()).containsExactly(16, FashionMnist.COLUMNS,
                FashionMnist.ROWS);
        MultiLayerNetwork net = (MultiLayerNetwork) w.newNetwork();
        DebugSuite suite = DebugSuite.builder().logging(false).build().attachTo(net);
        net.fit(w.batches().get(0));
        assertThat(suite.failures()).isEmpty();
        assertThat(suite.recording().gradientSnapshots().get(0).parameters())
                .anyMatch(p -> p.layer().equals("lstm") && p.key().equals("RW"));
    }
}
