package io.dl4jdebug.diagnose;

import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;

import java.util.List;
import java.util.Locale;

/**
 * {@link Symptom#TRAIN_INFERENCE_MISMATCH}: at the end of an epoch, the training data scored in inference mode (the
 * epoch snapshot's training loss, when the suite has a training-evaluation set) is at least {@link #RATIO} times,
 * and {@link #MIN_DIFFERENCE} above, the mean training-mode minibatch loss of that epoch. Within an epoch the
 * training-mode mean lags behind (it includes the epoch's early, higher losses), so a healthy network scores its
 * training data lower in inference mode, not several times higher: when it does, inference computes another
 * function than training (BatchNormalization running statistics that do not follow the data, dropout), which is
 * not overfitting. Reported once. Not thread safe.
 */
public final class TrainInferenceRule implements Rule {

    private static final long serialVersionUID = 1L;

    /** Inference-mode loss at least this many times the training-mode loss. */
    public static final double RATIO = 1.5;
    /** And at least this much above it. */
    public static final double MIN_DIFFERENCE = 0.25;

    private int epoch = -1;
    private double sum;
    private long count;
    private double regularization;
    private boolean reported;

    /**
     * @param snapshot one iteration's score (training mode)
     * @return nothing: the scores are only accumulated
     */
    @Override
    public List<Finding> onScore(ScoreSnapshot snapshot) {
        if (snapshot.epoch() != epoch) {
            epoch = snapshot.epoch();
            sum = 0;
            count = 0;
        }
        if (Double.isFinite(snapshot.score())) {
            sum += snapshot.score();
            count++;
        }
        if (snapshot.regularizationMeasured()) {
            regularization = snapshot.regularization();
        }
        return List.of();
    }

    /**
     * @param snapshot the epoch's losses (the training loss in inference mode when a training-evaluation set exists)
     * @return the finding, once, when the two modes disagree
     */
    public List<Finding> evaluate(EpochSnapshot snapshot) {
        if (reported || count == 0 || !Double.isFinite(snapshot.trainLoss())) {
            return List.of();
        }
        double trainingMode = sum / count - regularization;
        double inference = snapshot.trainLoss();
        if (!(trainingMode > 0) || inference < RATIO * trainingMode || inference - trainingMode < MIN_DIFFERENCE) {
            return List.of();
        }
        reported = true;
        return List.of(Finding.builder(Symptom.TRAIN_INFERENCE_MISMATCH, Severity.ERROR, String.format(Locale.ROOT,
                        "the training data score %.4g in inference mode but %.4g in training mode (epoch %d, %.1fx): "
                                + "inference computes another function than training (BatchNormalization running "
                                + "statistics or dropout), which is not overfitting", inference, trainingMode,
                        snapshot.epoch(), inference / trainingMode))
                .firstIteration(snapshot.iteration())
                .evidence("inferenceModeLoss", inference).evidence("trainingModeLoss", trainingMode)
                .evidence("ratio", inference / trainingMode).evidence("threshold", RATIO)
                .suggest("BatchNormalization: keep the default .decay(0.9) so that the running mean and variance "
                                + "follow the data, and do not use .isMinibatch(false) with minibatches",
                        "check dropout: DL4J's .dropOut(p) keeps a unit with probability p")
                .build());
    }

    @Override
    public List<Finding> onEpoch(EpochSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
