package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.repair.FixVerifier;
import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.diagnose.FindingOrder;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.preflight.QuickChecklist;
import io.dl4jdebug.samples.ProgressListener;
import io.dl4jdebug.samples.ui.UiSession;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs one gallery scenario the way the method does: the quick checklist on copies of the network, then a short
 * training with the whole {@link DebugSuite} attached (NaN policy STOP, gradient and activation monitors every
 * {@value #MONITOR_PERIOD} iterations, the validation loss per epoch when the scenario has validation data), and
 * collects the findings of both and their diagnosis, with the top incidents' fixes tried on copies. Stateless.
 */
public final class GalleryRunner {

    /** Iterations between two gradient / activation measurements (short runs need frequent checks). */
    public static final int MONITOR_PERIOD = 5;

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
     * @param verify   whether the top incidents' fixes are tried on copies ({@link FixVerifier})
     * @return the findings, the diagnosis and the losses
     */
    public static Outcome run(Scenario scenario, UiSession.Run run, PrintStream progress, boolean verify) {
        long start = System.nanoTime();
        MultiLayerNetwork net = scenario.network();
        DataSetIterator train = iterator(scenario.train(), scenario.batch());
        DataSetIterator validation = scenario.validation() == null ? null : iterator(scenario.validation(), 256);

        ChecklistReport checklist = QuickChecklist.withDefaults().run(net, train, validation);

        DebugSuite.Builder b = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false)
                .gradientConfig(GradientMonitorConfig.builder().schedule(Schedule.every(MONITOR_PERIOD)).build())
                .activationConfig(ActivationMonitorConfig.builder().schedule(Schedule.every(MONITOR_PERIOD)).build())
                .lossSchedule(Schedule.every(MONITOR_PERIOD))
                .validation(validation).checklist(checklist.items());
        run.sink().ifPresent(b::sink);
        run.attach(net);
        ProgressListener bar = progress == null ? null
                : new ProgressListener(progress, "training", scenario.epochs(), scenario.batchesPerEpoch());
        if (bar != null) {
            net.addListeners(bar);
        }
        DebugSuite suite = b.build().attachTo(net);
        suite.publish(checklist.findings());
        train.reset();
        net.fit(suite.guard(train), scenario.epochs());
        suite.close();
        if (bar != null) {
            bar.finish();
        }

        List<Finding> all = suite.findings();
        List<ScoreSnapshot> scores = suite.recording().scoreSnapshots();
        double firstLoss = scores.isEmpty() ? Double.NaN : scores.get(0).score();
        Diagnosis diagnosis = suite.diagnosis();
        if (verify) {
            diagnosis = new FixVerifier(VerifyBudget.ofIterations(VERIFY_ITERATIONS))
                    .reportFailuresTo(suite.failureTally()).verify(net, diagnosis, train);
        }
        return new Outcome(checklist, FindingOrder.mostImportantFirst(all), diagnosis, net.getIterationCount(),
                firstLoss,
                suite.recording().epochSnapshots(), suite.firstNonFinite().isPresent(),
                (System.nanoTime() - start) / 1e9);
    }

    private static DataSetIterator iterator(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.batchBy(batch), 1);
    }
}
