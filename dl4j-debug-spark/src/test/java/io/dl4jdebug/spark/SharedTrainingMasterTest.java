package io.dl4jdebug.spark;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Symptom;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SharedTrainingMaster (gradient sharing over Aeron UDP, port 40123) in local mode on loopback: the executors send
 * their records through a RemoteUIStatsStorageRouter to a UI server with the remote listener on; the driver reads them
 * from that server's storage ({@link SparkDebugSession#follow}).
 *
 * <p>One training thread per executor: with {@code workersPerNode(2)} the same deep-sigmoid network hangs in DL4J
 * itself, also without any listener (checked: 150 s timeout, bare network). Thread dump: "ParallelWrapper training
 * thread 0" trains the original network and holds its monitor ({@code MultiLayerNetwork.fit}) while it waits in
 * {@code EncodedGradientsAccumulator.synchronize} for the other worker's update; "ParallelWrapper training thread 1"
 * is still building its replica and blocks in {@code DefaultTrainer.run} on {@code originalModel.getUpdater()}
 * ({@code MultiLayerNetwork.getLayers}, synchronized on the original network). A small MLP sometimes gets through.
 */
class SharedTrainingMasterTest {

    /** Training threads of the executor's ParallelWrapper (see the class comment for why not 2). */
    static final int WORKERS_PER_NODE = Integer.getInteger("dl4jdebug.spark.sharedWorkers", 1);

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void workersRecordsReachTheDriverThroughTheUisRemoteListener() throws Exception {
        // nd4j-parameter-server's AeronUdpTransport sets aeron.client.liveness.timeout to 30 s; Aeron 1.39's media
        // driver refuses to start unless the publication unblock timeout (default 15 s) is longer.
        System.setProperty("aeron.publication.unblock.timeout", "60000000000");
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        UIServer ui = VertxUIServer.getInstance(0, false, null);
        try {
            ui.enableRemoteListener(storage, true);
            RemoteUIStatsStorageRouter remote = new RemoteUIStatsStorageRouter("http://127.0.0.1:" + ui.getPort());
            VoidConfiguration voidConf = VoidConfiguration.builder().unicastPort(40123)
                    .controllerAddress("127.0.0.1").build();
            SharedTrainingMaster master = new SharedTrainingMaster.Builder(voidConf, SparkTesting.BATCH)
                    .batchSizePerWorker(SparkTesting.BATCH).workersPerNode(WORKERS_PER_NODE).rngSeed(42).build();
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(SparkTesting.context(), SparkTesting.deepSigmoid(),
                    master);
            try (SparkDebugSession debug = SparkDebug.attach(spark, remote, SparkDebugOptions.builder()
                    .workerLogging(false).build()).follow(storage)) {
                spark.fit(SparkTesting.train(1024));
                // the remote router posts asynchronously: wait (at most 30 s) for the merged finding
                Optional<Finding> vanishing = await().atMost(30, TimeUnit.SECONDS)
                        .pollInterval(200, TimeUnit.MILLISECONDS)
                        .until(() -> debug.findings().stream()
                                .filter(f -> f.symptom() == Symptom.VANISHING_GRADIENT)
                                .filter(f -> WorkerMerge.workers(f).size() == WORKERS_PER_NODE).findFirst(),
                                Optional::isPresent);
                System.out.println("shared training workers " + debug.workers() + " findings " + debug.findings());
                assertThat(debug.workers()).hasSize(WORKERS_PER_NODE);
                assertThat(vanishing).as("VANISHING_GRADIENT reported by the workers").isPresent();
                assertThat(WorkerMerge.workers(vanishing.get())).isSubsetOf(debug.workers());
            }
        } finally {
            UIServer.stopInstance();
        }
    }
}
