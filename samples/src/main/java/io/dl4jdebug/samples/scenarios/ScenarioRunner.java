package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.config.ActivationMonitorConfig;
import io.dl4jdebug.config.GradientMonitorConfig;
import io.dl4jdebug.config.NanPolicy;
import io.dl4jdebug.config.Schedule;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.listener.DebugSuite;
import io.dl4jdebug.repair.FixVerifier;
import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.preflight.ChecklistReport;
import io.dl4jdebug.preflight.QuickChecklist;
import io.dl4jdebug.samples.gallery.GalleryRunner;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Runs one scenario the way {@code ./dl4j-debug diagnose} does: the quick checklist on copies of the network, then
 * training with the whole {@link DebugSuite} attached (NaN policy STOP, no logging, the checklist's findings
 * published first, the validation loss per epoch, and the training loss per epoch in inference mode on the training
 * data), then the diagnosis with its fixes tried on copies ({@link FixVerifier}). Monitors run every {@value GalleryRunner#MONITOR_PERIOD} iterations, as in the gallery, because the runs are
 * short. Stateless.
 */
public final class ScenarioRunner {

    /** Minibatch size of the evaluation passes (validation and inference-mode training loss). */
    public static final int EVALUATION_BATCH = 256;

    private ScenarioRunner() {
    }

    /**
     * @param scenario the scenario (a fresh network is built)
     * @param data     the examples to draw from
     * @return the network after training, the data used, the findings and the wall time
     */
    public static ScenarioRun run(LabelledScenario scenario, ScenarioData data) {
        long start = System.nanoTime();
        ScenarioSetup setup = scenario.setup(data);
        DataSetIterator train = iterator(setup.train(), setup.batch());
        DataSetIterator validation = setup.validation() == null ? null
                : iterator(setup.validation(), EVALUATION_BATCH);

        ChecklistReport checklist = QuickChecklist.withDefaults().run(setup.network(), train, validation);

        Schedule every = Schedule.every(GalleryRunner.MONITOR_PERIOD);
        DebugSuite suite = DebugSuite.builder().nanPolicy(NanPolicy.STOP).logging(false)
                .gradientConfig(GradientMonitorConfig.builder().schedule(every).build())
                .activationConfig(ActivationMonitorConfig.builder().schedule(every).build())
                .lossSchedule(every).validation(validation)
                .trainEvaluation(iterator(setup.train(), EVALUATION_BATCH)).checklist(checklist.items())
                .build().attachTo(setup.network());
        suite.publish(checklist.findings());
        NeuralNetwork net = (NeuralNetwork) setup.network();
        for (int e = 0; e < setup.epochs() && suite.firstNonFinite().isEmpty(); e++) {
            train.reset();
            net.fit(suite.guard(train));
        }
        suite.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        long verifyStart = System.nanoTime();
        Diagnosis diagnosis = new FixVerifier(VerifyBudget.ofIterations(GalleryRunner.VERIFY_ITERATIONS))
                .reportFailuresTo(suite.failureTally()).verify(setup.network(), suite.diagnosis(), train);
        return new ScenarioRun(scenario, setup, checklist, suite.findings(), suite.recording().epochSnapshots(),
                diagnosis, seconds, (System.nanoTime() - verifyStart) / 1e9);
    }

    private static DataSetIterator iterator(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.batchBy(Math.min(batch, data.numExamples())), 1);
    }
}
