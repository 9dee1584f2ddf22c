package io.dl4jdebug.diagnose;

import io.dl4jdebug.config.RuleConfig;

/**
 * The article's {@code diagnose_fitting} as a pure function, with its thresholds taken from {@link RuleConfig}
 * (defaults are the article's): underfitting when the training loss is above {@code underfitTrainLoss} after
 * {@code underfitMinEpochs} epochs; else overfitting when the gap (validation minus training) is above
 * {@code overfitGap}; else converged when the gap is below {@code convergedGap} and the training loss below
 * {@code convergedTrainLoss}; else keep watching. Stateless and thread safe.
 */
public final class FittingDiagnosis {

    private FittingDiagnosis() {
    }

    /**
     * @param trainLoss       training loss of the epoch
     * @param validationLoss  validation loss of the epoch
     * @param epochsCompleted epochs trained so far (1 after the first epoch)
     * @param config          the thresholds
     * @return the verdict, checked in the article's order
     */
    public static FittingStatus diagnose(double trainLoss, double validationLoss, int epochsCompleted,
                                         RuleConfig config) {
        double gap = validationLoss - trainLoss;
        if (trainLoss > config.underfitTrainLoss() && epochsCompleted >= config.underfitMinEpochs()) {
            return FittingStatus.UNDERFITTING;
        }
        if (gap > config.overfitGap()) {
            return FittingStatus.OVERFITTING;
        }
        if (gap < config.convergedGap() && trainLoss < config.convergedTrainLoss()) {
            return FittingStatus.CONVERGED;
        }
        return FittingStatus.KEEP_WATCHING;
    }

    /**
     * The same verdict without a validation loss: only underfitting can be judged.
     *
     * @param trainLoss       training loss of the epoch
     * @param epochsCompleted epochs trained so far
     * @param config          the thresholds
     * @return {@link FittingStatus#UNDERFITTING} or {@link FittingStatus#KEEP_WATCHING}
     */
    public static FittingStatus diagnoseTrainOnly(double trainLoss, int epochsCompleted, RuleConfig config) {
        return trainLoss > config.underfitTrainLoss() && epochsCompleted >= config.underfitMinEpochs()
                ? FittingStatus.UNDERFITTING : FittingStatus.KEEP_WATCHING;
    }
}
