package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.ScoreSnapshot;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@link Symptom#REGULARIZATION_DOMINATES}: the L1/L2/weight-decay terms make up more than
 * {@code regularizationShare} of DL4J's score on {@code regularizationPatience} consecutive measurements, so the
 * optimizer mostly shrinks weights instead of fitting the data. Reported once. Not thread safe.
 */
public final class RegularizationRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final RuleConfig config;
    private final Streaks streaks;

    /**
     * @param config the thresholds
     */
    public RegularizationRule(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.streaks = new Streaks(config.regularizationPatience());
    }

    /**
     * @param snapshot the newest score; only snapshots with a regularization measurement are judged
     * @return the finding, when it became true with this snapshot
     */
    public List<Finding> evaluate(ScoreSnapshot snapshot) {
        if (!snapshot.regularizationMeasured() || !Double.isFinite(snapshot.score())
                || !Double.isFinite(snapshot.regularization()) || snapshot.score() <= 0) {
            return List.of();
        }
        double share = snapshot.regularization() / snapshot.score();
        OptionalLong streak = streaks.record("share", share > config.regularizationShare(), snapshot.iteration());
        if (streak.isEmpty()) {
            return List.of();
        }
        double dataLoss = snapshot.score() - snapshot.regularization();
        return List.of(Finding.builder(Symptom.REGULARIZATION_DOMINATES, Severity.WARN, String.format(
                        "regularization is %.0f%% of the loss (%.4g of %.4g; data loss %.4g) > %.0f%% for %d "
                                + "measurements: the optimizer mostly shrinks the weights", 100 * share,
                        snapshot.regularization(), snapshot.score(), dataLoss, 100 * config.regularizationShare(),
                        config.regularizationPatience()))
                .firstIteration(streak.getAsLong())
                .evidence("regularizationShare", share).evidence("regularization", snapshot.regularization())
                .evidence("score", snapshot.score()).evidence("dataLoss", dataLoss)
                .evidence("threshold", config.regularizationShare())
                .suggest("lower .l2(...)/.l1(...) 10-100x (typical: 1e-4 to 1e-5)",
                        "prefer .weightDecay(1e-4) (decoupled) over a large .l2(...)",
                        "check the value was not meant for another field (e.g. a dropout or learning rate)")
                .build());
    }

    @Override
    public List<Finding> onScore(ScoreSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
