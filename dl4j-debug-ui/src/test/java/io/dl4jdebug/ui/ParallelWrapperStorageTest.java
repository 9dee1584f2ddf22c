package io.dl4jdebug.ui;

import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.ui.storage.RecordKind;
import io.vertx.core.json.JsonObject;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real 2-worker ParallelWrapper run publishing through {@link StatsStorageSink}: each worker's records are stored
 * under its own worker ID in the one session, so the Debug page's worker selector (the worker IDs of the session's
 * dl4j-debug records) lists both workers, and each worker's page draws that worker's gradients.
 */
class ParallelWrapperStorageTest {

    @Test
    void eachWorkerPublishesUnderItsOwnWorkerId() throws Exception {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        StatsStorageSink sink = StatsStorageSink.builder(storage).sessionId("pw-run").workerId("main").build();
        MultiLayerNetwork net = UiRuns.healthy();
        DebugSuite suite = DebugSuite.builder().logging(false).sink(sink).build().attachTo(net);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 24; b++) {
            batches.add(UiRuns.slice(32 * b, 32 * (b + 1)));
        }
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(4)
                .averagingFrequency(3).build()) {
            wrapper.fit(new ListDataSetIterator<>(batches, 1));
        }
        suite.close();

        TreeSet<String> workers = new TreeSet<>();
        for (RecordKind kind : RecordKind.values()) {
            workers.addAll(storage.listWorkerIDsForSessionAndType("pw-run", kind.typeId()));
        }
        assertThat(workers).containsExactly("main", "worker-0", "worker-1");
        for (String worker : List.of("worker-0", "worker-1")) {
            SessionRecords records = new SessionRecords(storage, "pw-run", worker);
            records.refresh();
            JsonObject gradients = (JsonObject) DebugView.section(records, "gradients");
            assertThat(gradients.getInteger("snapshots")).as("gradient snapshots of %s", worker).isPositive();
        }
    }
}
