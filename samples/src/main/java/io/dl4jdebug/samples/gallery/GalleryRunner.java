package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.DebugRun;
import io.dl4jdebug.diagnose.FindingOrder;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.cli.ProgressListener;
import io.dl4jdebug.cli.ui.UiSession;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs one gallery scenario through {@link DebugRun}, as {@code diagnose} does: the quick checklist on copies of the
 * network, a short training with the whole suite attached at its default schedules, the validation loss per epoch
 * when the scenario has validation data, and the diagnosis with the top incidents' fixes tried on copies (published
 * to the UI run's sink). Stateless.
 */
public final class GalleryRunner {

    /** Training iterations of each copy when fixes are verified. */
    public static final int VERIFY_ITERATIONS = 40;

    private GalleryRunner() {
    }

    /**
     * @param scenario the network and data (the network is trained in place)
     * @param run      where DL4J's UI records the run (a disabled run records nothing)
     * @param progress where the progress bar is drawn, or null for none
     * @return the findings and losses
     */
    public static Outcome run(Scenario scenario, UiSession.Run run, PrintStream progress) {
        return run(scenario, run, progress, true);
    }

    /**
     * @param scenario the network and data (the network is trained in place)
     * @param run      where DL4J's UI records the run (a disabled run records nothing)
     * @param progress where the progress bar is drawn, or null for none
     * @param verify   whether the top incidents' fixes are tried on copies
     * @return the findings, the diagnosis and the losses
     */
    public static Outcome run(Scenario scenario, UiSession.Run run, PrintStream progress, boolean verify) {
        long start = System.nanoTime();
        MultiLayerNetwork net = scenario.network();
        DataSetIterator train = iterator(scenario.train(), scenario.batch());
        DataSetIterator validation = scenario.validation() == null ? null : iterator(scenario.validation(), 256);
        run.attach(net);
        DebugRun.Builder b = DebugRun.on(net).train(train).validation(validation).epochs(scenario.epochs())
                .verify(verify ? VerifyBudget.ofIterations(VERIFY_ITERATIONS) : null)
                .suite(s -> {
                    run.sink().ifPresent(s::sink);
                    return s;
                });
        ProgressListener bar = progress == null ? null
                : new ProgressListener(progress, "training", scenario.epochs(), scenario.batchesPerEpoch());
        if (bar != null) {
            b.listener(bar);
        }
        DebugRun.Result r = b.build().run();
        if (bar != null) {
            bar.finish();
        }
        List<ScoreSnapshot> scores = r.suite().recording().scoreSnapshots();
        double firstLoss = scores.isEmpty() ? Double.NaN : scores.get(0).score();
        return new Outcome(r.checklist(), FindingOrder.mostImportantFirst(r.suite().findings()), r.diagnosis(),
                net.getIterationCount(), firstLoss, r.suite().recording().epochSnapshots(),
                r.suite().firstNonFinite().isPresent(), (System.nanoTime() - start) / 1e9);
    }

    private static DataSetIterator iterator(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.batchBy(batch), 1);
    }
}
