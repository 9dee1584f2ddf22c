package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.DebugRun;
import io.dl4jdebug.repair.VerifyBudget;
import io.dl4jdebug.samples.gallery.GalleryRunner;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Runs one scenario through {@link DebugRun}, the pipeline {@code ./dl4j-debug diagnose} runs: the quick checklist
 * on copies of the network, training with the whole suite attached at its default schedules (the validation loss per
 * epoch, and the training loss per epoch in inference mode on the training data), then the diagnosis with its fixes
 * tried on copies. Stateless.
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
        DebugRun.Result r = DebugRun.on(setup.network()).train(train).validation(validation)
                .trainEvaluation(iterator(setup.train(), EVALUATION_BATCH)).epochs(setup.epochs())
                .verify(VerifyBudget.ofIterations(GalleryRunner.VERIFY_ITERATIONS)).build().run();
        double seconds = (System.nanoTime() - start) / 1e9 - r.verifySeconds();
        return new ScenarioRun(scenario, setup, r.checklist(), r.suite().findings(),
                r.suite().recording().epochSnapshots(), r.diagnosis(), seconds, r.verifySeconds());
    }

    private static DataSetIterator iterator(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.batchBy(Math.min(batch, data.numExamples())), 1);
    }
}
