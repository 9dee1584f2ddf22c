package io.dl4jdebug.spark;

import io.dl4jdebug.ui.storage.DebugRecord;
import io.dl4jdebug.ui.storage.LossPoint;
import io.dl4jdebug.ui.storage.RecordKind;
import io.dl4jdebug.ui.storage.RunInfo;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver following a storage (SharedTrainingMaster) averages each iteration's loss over all workers, as it does
 * for the records DL4J hands it per averaging round.
 */
class StorageFollowerTest {

    private static final String SESSION = "s";

    private static DebugRecord loss(String worker, long iteration, double value) {
        return DebugRecord.update(SESSION, worker, iteration, RecordKind.LOSS,
                new LossPoint(iteration, 0, LossPoint.Split.TRAIN, value));
    }

    @Test
    void lossesOfTwoWorkersAreAveragedPerIterationInOneCurve() {
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        // As StatsStorageSink writes them: static info per worker and kind first, then the updates.
        for (String worker : List.of("w0", "w1")) {
            storage.putStaticInfo(DebugRecord.staticInfo(SESSION, worker, 0, RecordKind.LOSS, new RunInfo(5, 1, "h")));
        }
        for (long it = 0; it < 3; it++) {
            storage.putUpdate(loss("w0", it, 2.0 - it * 0.5));
            storage.putUpdate(loss("w1", it, 3.0 - it * 0.5));
        }
        List<DriverRecords.AveragedLoss> curve = new ArrayList<>();
        DriverRecords records = new DriverRecords(SESSION, curve::add, () -> { });

        new StorageFollower(storage, SESSION, records).poll();

        assertThat(curve).extracting(DriverRecords.AveragedLoss::iteration).containsExactly(0L, 1L, 2L);
        assertThat(curve).extracting(DriverRecords.AveragedLoss::loss).containsExactly(2.5, 2.0, 1.5);
        assertThat(curve).extracting(DriverRecords.AveragedLoss::workers).containsOnly(2);
        assertThat(records.workers()).containsExactly("w0", "w1");
    }
}
