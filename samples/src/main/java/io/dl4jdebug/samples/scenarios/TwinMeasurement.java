package io.dl4jdebug.samples.scenarios;

import io.dl4jdebug.model.NetworkOps;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.Locale;
import java.util.Objects;

/**
 * Measures that a bug harms training: the bug and its healthy twin ({@link LabelledScenario#twin}) trained in plain
 * DL4J, no listener attached, over the scenario's budget (its data, batch and epochs), each scored by its final
 * training loss (inference mode, on its own training data) and its accuracy on the held-out examples. Stateless.
 */
public final class TwinMeasurement {

    /** A bug harms training when its held-out accuracy is at least this much lower than its twin's... */
    public static final double ACCURACY_MARGIN = 0.05;
    /** ... or its final training loss at least this many times its twin's (and 0.1 higher), or not finite. */
    public static final double LOSS_RATIO = 1.25;

    private TwinMeasurement() {
    }

    /**
     * One seed's measurement of a bug and its twin.
     *
     * @param scenario     the bug's name
     * @param seed         the seed
     * @param bugLoss      the bug's final training loss
     * @param bugAccuracy  the bug's held-out accuracy
     * @param twinLoss     the twin's final training loss
     * @param twinAccuracy the twin's held-out accuracy
     */
    public record Result(String scenario, long seed, double bugLoss, double bugAccuracy, double twinLoss,
                         double twinAccuracy) {

        /** Validates the name. */
        public Result {
            Objects.requireNonNull(scenario, "scenario");
        }

        /** @return whether the bug clearly harms training at this seed (see {@link #ACCURACY_MARGIN}) */
        public boolean harms() {
            return !Double.isFinite(bugLoss) || bugAccuracy <= twinAccuracy - ACCURACY_MARGIN
                    || (bugLoss >= LOSS_RATIO * twinLoss && bugLoss - twinLoss >= 0.1);
        }

        /** @return a markdown table row: scenario, seed, the four numbers, harms */
        public String row() {
            return String.format(Locale.ROOT, "| `%s` | %d | %.3f | %.3f | %.3f | %.3f | %s |", scenario, seed,
                    bugLoss, twinLoss, bugAccuracy, twinAccuracy, harms() ? "yes" : "**no**");
        }
    }

    /** @return the markdown table header for {@link Result#row()} */
    public static String header() {
        return "| scenario | seed | loss (bug) | loss (twin) | accuracy (bug) | accuracy (twin) | harms |\n"
                + "|---|---|---|---|---|---|---|";
    }

    /**
     * @param scenario a bug with a twin
     * @param data     the examples (and seed)
     * @return the measurement
     * @throws IllegalArgumentException when the scenario has no twin
     */
    public static Result measure(LabelledScenario scenario, ScenarioData data) {
        ScenarioSetup twin = scenario.twin(data).orElseThrow(() -> new IllegalArgumentException(
                scenario.name() + " has no healthy twin"));
        double[] t = train(twin);
        double[] b = train(scenario.setup(data));
        return new Result(scenario.name(), data.seed(), b[0], b[1], t[0], t[1]);
    }

    /** @return {final training loss, held-out accuracy} after plain training */
    static double[] train(ScenarioSetup setup) {
        Model model = setup.network();
        DataSetIterator train = new ListDataSetIterator<>(setup.train().batchBy(setup.batch()), 1);
        for (int e = 0; e < setup.epochs(); e++) {
            train.reset();
            ((NeuralNetwork) model).fit(train);
        }
        double loss = NetworkOps.of(model).score(setup.train(), false);
        return new double[] {loss, accuracy(model, setup.validation())};
    }

    /** @return the share of examples whose highest output is their label's class; a row with NaN counts as wrong */
    static double accuracy(Model model, DataSet held) {
        INDArray out = model instanceof ComputationGraph g ? g.outputSingle(false, held.getFeatures())
                : ((MultiLayerNetwork) model).output(held.getFeatures(), false);
        INDArray predicted = out.argMax(1);
        INDArray actual = held.getLabels().argMax(1);
        int right = 0;
        for (int i = 0; i < held.numExamples(); i++) {
            boolean finite = Double.isFinite(out.getRow(i).sumNumber().doubleValue());
            if (finite && predicted.getLong(i) == actual.getLong(i)) {
                right++;
            }
        }
        return right / (double) held.numExamples();
    }
}
