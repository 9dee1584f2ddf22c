package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;
import io.dl4jdebug.measure.EpochSnapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Turns the per-epoch {@link FittingDiagnosis} into findings: {@link Symptom#UNDERFITTING} and
 * {@link Symptom#OVERFITTING} once the same verdict held for {@code fittingPatience} consecutive epochs, plus a
 * trend rule: validation loss rising while training loss falls for {@code trendEpochs} consecutive epochs, with
 * validation at least {@code trendMinRise} above its best, is {@link Symptom#OVERFITTING} too (an early warning
 * before the gap reaches {@code overfitGap}). Each symptom once per run. Not thread safe.
 */
public final class FittingRule implements Rule {

    private static final long serialVersionUID = 1L;

    private final RuleConfig config;
    private final Streaks streaks;
    private final Deque<EpochSnapshot> recent = new ArrayDeque<>();
    private double bestValidation = Double.POSITIVE_INFINITY;
    private FittingStatus status = FittingStatus.KEEP_WATCHING;
    private int epochsSeen;
    private boolean overfittingReported;

    /**
     * @param config the thresholds
     */
    public FittingRule(RuleConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.streaks = new Streaks(config.fittingPatience());
    }

    /** @return the verdict of the latest epoch ({@link FittingStatus#KEEP_WATCHING} before the first) */
    public FittingStatus status() {
        return status;
    }

    /**
     * @param epoch the newest epoch's losses
     * @return findings that became true with this epoch
     */
    public List<Finding> evaluate(EpochSnapshot epoch) {
        List<Finding> findings = new ArrayList<>();
        if (!Double.isFinite(epoch.trainLoss()) || (epoch.validationMeasured()
                && !Double.isFinite(epoch.validationLoss()))) {
            return findings;
        }
        epochsSeen++;
        int completed = Math.max(epoch.epoch() + 1, epochsSeen);
        status = epoch.validationMeasured()
                ? FittingDiagnosis.diagnose(epoch.trainLoss(), epoch.validationLoss(), completed, config)
                : FittingDiagnosis.diagnoseTrainOnly(epoch.trainLoss(), completed, config);
        OptionalLong under = streaks.record("under", status == FittingStatus.UNDERFITTING, epoch.epoch());
        if (under.isPresent()) {
            findings.add(Finding.builder(Symptom.UNDERFITTING, Severity.WARN, String.format(
                            "underfitting: training loss %.4g > %.3g after %d epochs", epoch.trainLoss(),
                            config.underfitTrainLoss(), completed))
                    .firstIteration(epoch.iteration())
                    .evidence("trainLoss", epoch.trainLoss()).evidence("threshold", config.underfitTrainLoss())
                    .evidence("epochs", completed).evidence("minEpochs", config.underfitMinEpochs())
                    .suggest("add capacity: more units (.nOut(...)) or more layers",
                            "train longer or raise the learning rate (check the update:param ratio)",
                            "lower the regularization (.l2(...), .dropOut(...)) and check the features are "
                                    + "informative (normalised, labels aligned)")
                    .build());
        }
        OptionalLong over = streaks.record("over", status == FittingStatus.OVERFITTING, epoch.epoch());
        if (over.isPresent() && !overfittingReported) {
            overfittingReported = true;
            findings.add(overfitting(epoch, String.format(
                    "overfitting: validation loss %.4g exceeds training loss %.4g by %.4g > %.3g (epoch %d)",
                    epoch.validationLoss(), epoch.trainLoss(), epoch.gap(), config.overfitGap(), epoch.epoch()))
                    .evidence("gap", epoch.gap()).evidence("threshold", config.overfitGap()).build());
        }
        if (epoch.validationMeasured()) {
            trend(epoch, findings);
            bestValidation = Math.min(bestValidation, epoch.validationLoss());
        }
        return findings;
    }

    private void trend(EpochSnapshot epoch, List<Finding> findings) {
        recent.addLast(epoch);
        if (recent.size() > config.trendEpochs() + 1) {
            recent.removeFirst();
        }
        if (overfittingReported || recent.size() < config.trendEpochs() + 1) {
            return;
        }
        EpochSnapshot previous = null;
        for (EpochSnapshot e : recent) {
            if (previous != null && !(e.validationLoss() > previous.validationLoss()
                    && e.trainLoss() < previous.trainLoss())) {
                return;
            }
            previous = e;
        }
        double best = Math.min(bestValidation, recent.peekFirst().validationLoss());
        double rise = (epoch.validationLoss() - best) / best;
        if (!(rise >= config.trendMinRise())) {
            return;
        }
        overfittingReported = true;
        findings.add(overfitting(epoch, String.format(
                "overfitting (trend): validation loss rose for %d epochs in a row to %.4g (%.0f%% above its best "
                        + "%.4g) while training loss fell to %.4g", config.trendEpochs(), epoch.validationLoss(),
                100 * rise, best, epoch.trainLoss()))
                .evidence("gap", epoch.gap()).evidence("validationRise", rise)
                .evidence("bestValidationLoss", best).evidence("trendEpochs", config.trendEpochs())
                .evidence("threshold", config.trendMinRise()).build());
    }

    private static Finding.Builder overfitting(EpochSnapshot epoch, String message) {
        return Finding.builder(Symptom.OVERFITTING, Severity.WARN, message)
                .firstIteration(epoch.iteration())
                .evidence("trainLoss", epoch.trainLoss()).evidence("validationLoss", epoch.validationLoss())
                .evidence("epoch", epoch.epoch())
                .suggest("add regularization: .l2(1e-4) or .weightDecay(1e-4), .dropOut(0.8) (DL4J's dropOut is "
                                + "the RETAIN probability)",
                        "get more training data or augment it",
                        "stop early: EarlyStoppingTrainer with a ScoreImprovementEpochTerminationCondition",
                        "use a smaller network");
    }

    @Override
    public List<Finding> onEpoch(EpochSnapshot snapshot) {
        return evaluate(snapshot);
    }
}
