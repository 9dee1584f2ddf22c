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
 * Turns the per-epoch {@link FittingDiagnosis} into findings: {@link Symptom#UNDERFITTING} once that verdict held
 * for {@code fittingPatience} consecutive epochs; {@link Symptom#OVERFITTING} once the article's gap verdict held as
 * long <em>and</em> the validation loss is at least {@code trendMinRise} above its best (a gap while the validation
 * loss still improves is the generalisation gap of a model that is still learning, not a verdict); plus a
 * trend rule: validation loss rising while training loss falls for {@code trendEpochs} consecutive epochs, with
 * validation at least {@code trendMinRise} above its best, is {@link Symptom#OVERFITTING} too (an early warning
 * before the gap reaches {@code overfitGap}); and {@link Symptom#LABELS_INVALID} when the validation loss never improves
 * on its first value while the training loss falls (what is learned does not carry over). Each symptom once per run.
 * Not thread safe.
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
    private EpochSnapshot firstEpoch;
    private boolean carriesOverReported;

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
        double rise = epoch.validationMeasured() ? riseAboveBest(epoch.validationLoss()) : Double.NaN;
        boolean pastBest = rise >= config.trendMinRise();
        OptionalLong over = streaks.record("over", status == FittingStatus.OVERFITTING && pastBest,
                epoch.epoch());
        if (over.isPresent() && !overfittingReported) {
            overfittingReported = true;
            findings.add(overfitting(epoch, String.format(
                    "overfitting: validation loss %.4g exceeds training loss %.4g by %.4g > %.3g (epoch %d) and is "
                            + "%.0f%% above its best %.4g", epoch.validationLoss(), epoch.trainLoss(), epoch.gap(),
                    config.overfitGap(), epoch.epoch(), 100 * rise, bestValidation))
                    .evidence("gap", epoch.gap()).evidence("threshold", config.overfitGap())
                    .evidence("validationRise", rise).evidence("bestValidationLoss", bestValidation).build());
        }
        if (epoch.validationMeasured()) {
            trend(epoch, findings);
            nothingCarriesOver(epoch, findings);
            bestValidation = Math.min(bestValidation, epoch.validationLoss());
        }
        return findings;
    }

    /**
     * From the second epoch: the validation loss never went below its first value and is now at least
     * {@code trendMinRise} above it, while the training loss fell by more than {@link LossSummary#LEARNED_MARGIN}.
     * The network learns the training data, but nothing of it carries over: training labels that do not follow the
     * features (shifted, shuffled, misjoined), or validation data prepared differently. Once per run.
     */
    private void nothingCarriesOver(EpochSnapshot epoch, List<Finding> findings) {
        if (firstEpoch == null) {
            firstEpoch = epoch;
            return;
        }
        if (carriesOverReported) {
            return;
        }
        double firstValidation = firstEpoch.validationLoss();
        boolean neverImproved = bestValidation >= firstValidation;
        boolean rose = epoch.validationLoss() >= firstValidation * (1 + config.trendMinRise());
        boolean trainFell = epoch.trainLoss() <= firstEpoch.trainLoss() * (1 - LossSummary.LEARNED_MARGIN);
        if (neverImproved && rose && trainFell) {
            carriesOverReported = true;
            findings.add(Finding.builder(Symptom.LABELS_INVALID, Severity.WARN, String.format(
                            "nothing learned carries over to the validation data: its loss never went below its first "
                                    + "value %.4g and is now %.4g, while the training loss fell from %.4g to %.4g: "
                                    + "training labels that do not follow the features (shifted, shuffled, misjoined), "
                                    + "or validation data prepared differently from the training data",
                            firstValidation, epoch.validationLoss(), firstEpoch.trainLoss(), epoch.trainLoss()))
                    .firstIteration(epoch.iteration())
                    .evidence("firstValidationLoss", firstValidation).evidence("validationLoss", epoch.validationLoss())
                    .evidence("firstTrainLoss", firstEpoch.trainLoss()).evidence("trainLoss", epoch.trainLoss())
                    .evidence("epoch", epoch.epoch())
                    .suggest("check that each training label belongs to its features (print a few examples with "
                                    + "their labels)",
                            "apply the same pre-processing (normaliser, scaling) to training and validation data")
                    .build());
        }
    }

    /**
     * Prechelt's generalisation loss: how far the validation loss is above the best one seen before this epoch. A
     * gap between the losses while the validation loss still improves is the ordinary generalisation gap of a
     * model that is still learning; only a validation loss past its best says the extra training memorises.
     */
    private double riseAboveBest(double validation) {
        return Double.isFinite(bestValidation) ? (validation - bestValidation) / bestValidation : 0;
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
