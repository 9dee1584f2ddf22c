package io.dl4jdebug.ui;

import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

import java.io.File;
import java.io.IOException;

/**
 * A training run in its own JVM, for the two-JVM tests. Prints {@code SESSION <id> <worker>} first, then
 * {@code EPOCH <n>} after each epoch.
 * <ul>
 *   <li>{@code remote <url>}: trains the broken run for 2 epochs through a RemoteUIStatsStorageRouter, prints
 *       {@code TRAINED}, then waits until its standard input closes (the router posts asynchronously).</li>
 *   <li>{@code file <path>}: trains the broken run into a FileStatsStorage for up to 1000 epochs (the test kills it
 *       with SIGKILL long before).</li>
 * </ul>
 */
public final class TrainingChild {

    private TrainingChild() {
    }

    public static void main(String[] args) throws IOException {
        boolean remote = args[0].equals("remote");
        StatsStorageRouter router = remote ? new RemoteUIStatsStorageRouter(args[1])
                : new FileStatsStorage(new File(args[1]));
        MultiLayerNetwork net = UiRuns.broken();
        StatsListener stats = new StatsListener(router, 5);
        net.setListeners(stats);
        net.addListeners(new BaseTrainingListener() {
            @Override
            public void onEpochEnd(Model model) {
                System.out.println("EPOCH " + ((MultiLayerNetwork) model).getEpochCount());
                System.out.flush();
            }
        });
        StatsStorageSink sink = StatsStorageSink.builder(router).sameIdsAs(stats).build();
        System.out.println("SESSION " + sink.sessionId() + " " + sink.workerId());
        System.out.flush();
        UiRuns.train(net, sink, remote ? 2 : 1000, UiRuns.CORRUPT_BATCH);
        System.out.println("TRAINED");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our input
        }
        System.exit(0);
    }
}
