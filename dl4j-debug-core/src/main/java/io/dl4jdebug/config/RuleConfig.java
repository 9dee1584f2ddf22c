package io.dl4jdebug.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.Set;

/**
 * Thresholds of the diagnosis rules: every rule waits for a warm-up, needs {@code k} consecutive checks and compares
 * with a relative tolerance, so that a healthy run stays silent. Defaults (measured on Fashion-MNIST MLPs; see
 * {@code docs/report.md}):
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>field</th><th>default</th><th>meaning</th></tr>
 * <tr><td>ratioTooHigh</td><td>0.1</td><td>update:param ratio above it (100x the ~1e-3 rule of thumb):
 *   LEARNING_RATE_TOO_HIGH</td></tr>
 * <tr><td>ratioTooLow</td><td>1e-5</td><td>ratio below it (1e-3 / 100): LEARNING_RATE_TOO_LOW</td></tr>
 * <tr><td>ratioPatience</td><td>3</td><td>consecutive gradient checks before an update-ratio finding</td></tr>
 * <tr><td>ratioWarmup</td><td>0</td><td>iterations before update ratios are judged</td></tr>
 * <tr><td>ratioIgnoredKeys</td><td>b, beta</td><td>parameter keys not judged for the learning rate (biases start at
 *   0, so their ratio is meaningless early on); WEIGHTS_NOT_UPDATING still applies to them</td></tr>
 * <tr><td>notUpdatingRatio</td><td>1e-10</td><td>ratio at or below which (or a zero update) a parameter does not
 *   update: WEIGHTS_NOT_UPDATING</td></tr>
 * <tr><td>collapseTolerance</td><td>1e-3</td><td>across-example std over the layer's RMS below which a layer's
 *   outputs are identical for every example: ACTIVATION_COLLAPSE</td></tr>
 * <tr><td>collapsePatience</td><td>2</td><td>consecutive activation checks before ACTIVATION_COLLAPSE</td></tr>
 * <tr><td>lossWindow</td><td>10</td><td>iterations averaged into the smoothed loss</td></tr>
 * <tr><td>lossWarmup</td><td>50</td><td>iterations before LOSS_NOT_DECREASING is judged</td></tr>
 * <tr><td>minRelativeDecrease</td><td>0.05</td><td>the smoothed loss must be this much (relative) below the first
 *   window, else LOSS_NOT_DECREASING</td></tr>
 * <tr><td>lossPatience</td><td>10</td><td>consecutive iterations for LOSS_NOT_DECREASING</td></tr>
 * <tr><td>divergenceFactor</td><td>1.0</td><td>smoothed loss above (1 + factor) x the best smoothed loss (or the
 *   first loss, whichever is lower) ...</td></tr>
 * <tr><td>divergenceMinIncrease</td><td>0.05</td><td>... and at least this much above it in loss units:
 *   LOSS_DIVERGING</td></tr>
 * <tr><td>divergencePatience</td><td>3</td><td>consecutive iterations for LOSS_DIVERGING</td></tr>
 * <tr><td>oscillationBlock</td><td>5</td><td>iterations averaged into one block of the oscillation rule</td></tr>
 * <tr><td>oscillationBlocks</td><td>12</td><td>blocks looked at</td></tr>
 * <tr><td>oscillationTolerance</td><td>1.0</td><td>a swing: consecutive blocks differ by more than this share of the
 *   smaller one (1.0: one block is twice the other) ...</td></tr>
 * <tr><td>oscillationMinSwing</td><td>0.02</td><td>... and by more than this share of the first block</td></tr>
 * <tr><td>oscillationSwings</td><td>2</td><td>swings up and swings down needed (each) for LOSS_OSCILLATING</td></tr>
 * <tr><td>underfitTrainLoss</td><td>0.5</td><td>article 4.3: training loss above it ...</td></tr>
 * <tr><td>underfitMinEpochs</td><td>50</td><td>... after this many epochs: UNDERFITTING</td></tr>
 * <tr><td>overfitGap</td><td>0.2</td><td>article 4.3: validation minus training loss above it: OVERFITTING</td></tr>
 * <tr><td>convergedGap</td><td>0.05</td><td>article 4.3: gap below it ...</td></tr>
 * <tr><td>convergedTrainLoss</td><td>0.1</td><td>... and training loss below it: converged</td></tr>
 * <tr><td>fittingPatience</td><td>1</td><td>consecutive epochs with the same verdict before a finding (the article
 *   judges each epoch)</td></tr>
 * <tr><td>trendEpochs</td><td>3</td><td>trend rule: validation loss rising while training loss falls for this many
 *   consecutive epochs ...</td></tr>
 * <tr><td>trendMinRise</td><td>0.02</td><td>... and validation at least this share above its best: OVERFITTING; the
 *   gap verdict needs the same rise (Prechelt's generalisation loss)</td></tr>
 * <tr><td>regularizationShare</td><td>0.5</td><td>share of the score made of regularization terms above which:
 *   REGULARIZATION_DOMINATES</td></tr>
 * <tr><td>regularizationPatience</td><td>3</td><td>consecutive measurements for REGULARIZATION_DOMINATES</td></tr>
 * </table>
 *
 * @param ratioTooHigh           see the table
 * @param ratioTooLow            see the table
 * @param ratioPatience          see the table
 * @param ratioWarmup            see the table
 * @param ratioIgnoredKeys       see the table
 * @param notUpdatingRatio       see the table
 * @param collapseTolerance      see the table
 * @param collapsePatience       see the table
 * @param lossWindow             see the table
 * @param lossWarmup             see the table
 * @param minRelativeDecrease    see the table
 * @param lossPatience           see the table
 * @param divergenceFactor       see the table
 * @param divergenceMinIncrease  see the table
 * @param divergencePatience     see the table
 * @param oscillationBlock       see the table
 * @param oscillationBlocks      see the table
 * @param oscillationTolerance   see the table
 * @param oscillationMinSwing    see the table
 * @param oscillationSwings      see the table
 * @param underfitTrainLoss      see the table
 * @param underfitMinEpochs      see the table
 * @param overfitGap             see the table
 * @param convergedGap           see the table
 * @param convergedTrainLoss     see the table
 * @param fittingPatience        see the table
 * @param trendEpochs            see the table
 * @param trendMinRise           see the table
 * @param regularizationShare    see the table
 * @param regularizationPatience see the table
 */
public record RuleConfig(double ratioTooHigh, double ratioTooLow, int ratioPatience, long ratioWarmup,
                         Set<String> ratioIgnoredKeys, double notUpdatingRatio,
                         double collapseTolerance, int collapsePatience,
                         int lossWindow, long lossWarmup, double minRelativeDecrease, int lossPatience,
                         double divergenceFactor, double divergenceMinIncrease, int divergencePatience,
                         int oscillationBlock, int oscillationBlocks, double oscillationTolerance,
                         double oscillationMinSwing, int oscillationSwings,
                         double underfitTrainLoss, int underfitMinEpochs, double overfitGap, double convergedGap,
                         double convergedTrainLoss, int fittingPatience, int trendEpochs, double trendMinRise,
                         double regularizationShare, int regularizationPatience) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates every field; messages name the field, the value and what is valid. */
    public RuleConfig {
        positive("ratioTooHigh", ratioTooHigh);
        positive("ratioTooLow", ratioTooLow);
        if (!(ratioTooLow < ratioTooHigh)) {
            throw new IllegalArgumentException("ratioTooLow must be < ratioTooHigh (" + ratioTooHigh + ") but was "
                    + ratioTooLow);
        }
        atLeast("ratioPatience", ratioPatience, 1);
        atLeast("ratioWarmup", ratioWarmup, 0);
        ratioIgnoredKeys = Set.copyOf(Objects.requireNonNull(ratioIgnoredKeys,
                "ratioIgnoredKeys must not be null; use an empty set to judge every key"));
        if (!(notUpdatingRatio >= 0 && notUpdatingRatio < ratioTooLow)) {
            throw new IllegalArgumentException("notUpdatingRatio must be in [0, ratioTooLow=" + ratioTooLow
                    + ") but was " + notUpdatingRatio);
        }
        unit("collapseTolerance", collapseTolerance);
        atLeast("collapsePatience", collapsePatience, 1);
        atLeast("lossWindow", lossWindow, 1);
        atLeast("lossWarmup", lossWarmup, 0);
        unit("minRelativeDecrease", minRelativeDecrease);
        atLeast("lossPatience", lossPatience, 1);
        positive("divergenceFactor", divergenceFactor);
        nonNegative("divergenceMinIncrease", divergenceMinIncrease);
        atLeast("divergencePatience", divergencePatience, 1);
        atLeast("oscillationBlock", oscillationBlock, 1);
        atLeast("oscillationBlocks", oscillationBlocks, 3);
        positive("oscillationTolerance", oscillationTolerance);
        nonNegative("oscillationMinSwing", oscillationMinSwing);
        atLeast("oscillationSwings", oscillationSwings, 1);
        if (2L * oscillationSwings > oscillationBlocks - 1) {
            throw new IllegalArgumentException("oscillationSwings must be <= (oscillationBlocks - 1) / 2 = "
                    + (oscillationBlocks - 1) / 2 + " but was " + oscillationSwings);
        }
        positive("underfitTrainLoss", underfitTrainLoss);
        atLeast("underfitMinEpochs", underfitMinEpochs, 1);
        positive("overfitGap", overfitGap);
        nonNegative("convergedGap", convergedGap);
        positive("convergedTrainLoss", convergedTrainLoss);
        atLeast("fittingPatience", fittingPatience, 1);
        atLeast("trendEpochs", trendEpochs, 1);
        nonNegative("trendMinRise", trendMinRise);
        unit("regularizationShare", regularizationShare);
        atLeast("regularizationPatience", regularizationPatience, 1);
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0 but was " + value);
        }
    }

    private static void nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0 but was " + value);
        }
    }

    private static void unit(String field, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in (0, 1) but was " + value);
        }
    }

    private static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
    }

    /** @return the documented defaults */
    public static RuleConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ratioTooHigh = ratioTooHigh;
        b.ratioTooLow = ratioTooLow;
        b.ratioPatience = ratioPatience;
        b.ratioWarmup = ratioWarmup;
        b.ratioIgnoredKeys = ratioIgnoredKeys;
        b.notUpdatingRatio = notUpdatingRatio;
        b.collapseTolerance = collapseTolerance;
        b.collapsePatience = collapsePatience;
        b.lossWindow = lossWindow;
        b.lossWarmup = lossWarmup;
        b.minRelativeDecrease = minRelativeDecrease;
        b.lossPatience = lossPatience;
        b.divergenceFactor = divergenceFactor;
        b.divergenceMinIncrease = divergenceMinIncrease;
        b.divergencePatience = divergencePatience;
        b.oscillationBlock = oscillationBlock;
        b.oscillationBlocks = oscillationBlocks;
        b.oscillationTolerance = oscillationTolerance;
        b.oscillationMinSwing = oscillationMinSwing;
        b.oscillationSwings = oscillationSwings;
        b.underfitTrainLoss = underfitTrainLoss;
        b.underfitMinEpochs = underfitMinEpochs;
        b.overfitGap = overfitGap;
        b.convergedGap = convergedGap;
        b.convergedTrainLoss = convergedTrainLoss;
        b.fittingPatience = fittingPatience;
        b.trendEpochs = trendEpochs;
        b.trendMinRise = trendMinRise;
        b.regularizationShare = regularizationShare;
        b.regularizationPatience = regularizationPatience;
        return b;
    }

    /** Builder of {@link RuleConfig}; methods are named after the fields; {@link #build()} validates. Not thread safe. */
    public static final class Builder {
        private double ratioTooHigh = 0.1;
        private double ratioTooLow = 1e-5;
        private int ratioPatience = 3;
        private long ratioWarmup = 0;
        private Set<String> ratioIgnoredKeys = Set.of("b", "beta");
        private double notUpdatingRatio = 1e-10;
        private double collapseTolerance = 1e-3;
        private int collapsePatience = 2;
        private int lossWindow = 10;
        private long lossWarmup = 50;
        private double minRelativeDecrease = 0.05;
        private int lossPatience = 10;
        private double divergenceFactor = 1.0;
        private double divergenceMinIncrease = 0.05;
        private int divergencePatience = 3;
        private int oscillationBlock = 5;
        private int oscillationBlocks = 12;
        private double oscillationTolerance = 1.0;
        private double oscillationMinSwing = 0.02;
        private int oscillationSwings = 2;
        private double underfitTrainLoss = 0.5;
        private int underfitMinEpochs = 50;
        private double overfitGap = 0.2;
        private double convergedGap = 0.05;
        private double convergedTrainLoss = 0.1;
        private int fittingPatience = 1;
        private int trendEpochs = 3;
        private double trendMinRise = 0.02;
        private double regularizationShare = 0.5;
        private int regularizationPatience = 3;

        private Builder() {
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder ratioTooHigh(double v) {
            ratioTooHigh = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder ratioTooLow(double v) {
            ratioTooLow = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder ratioPatience(int v) {
            ratioPatience = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder ratioWarmup(long v) {
            ratioWarmup = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder ratioIgnoredKeys(Set<String> v) {
            ratioIgnoredKeys = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder notUpdatingRatio(double v) {
            notUpdatingRatio = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder collapseTolerance(double v) {
            collapseTolerance = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder collapsePatience(int v) {
            collapsePatience = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder lossWindow(int v) {
            lossWindow = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder lossWarmup(long v) {
            lossWarmup = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder minRelativeDecrease(double v) {
            minRelativeDecrease = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder lossPatience(int v) {
            lossPatience = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder divergenceFactor(double v) {
            divergenceFactor = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder divergenceMinIncrease(double v) {
            divergenceMinIncrease = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder divergencePatience(int v) {
            divergencePatience = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder oscillationBlock(int v) {
            oscillationBlock = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder oscillationBlocks(int v) {
            oscillationBlocks = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder oscillationTolerance(double v) {
            oscillationTolerance = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder oscillationMinSwing(double v) {
            oscillationMinSwing = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder oscillationSwings(int v) {
            oscillationSwings = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder underfitTrainLoss(double v) {
            underfitTrainLoss = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder underfitMinEpochs(int v) {
            underfitMinEpochs = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder overfitGap(double v) {
            overfitGap = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder convergedGap(double v) {
            convergedGap = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder convergedTrainLoss(double v) {
            convergedTrainLoss = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder fittingPatience(int v) {
            fittingPatience = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder trendEpochs(int v) {
            trendEpochs = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder trendMinRise(double v) {
            trendMinRise = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder regularizationShare(double v) {
            regularizationShare = v;
            return this;
        }

        /** @param v see {@link RuleConfig} @return this builder */
        public Builder regularizationPatience(int v) {
            regularizationPatience = v;
            return this;
        }

        /** @return the validated configuration */
        public RuleConfig build() {
            return new RuleConfig(ratioTooHigh, ratioTooLow, ratioPatience, ratioWarmup, ratioIgnoredKeys,
                    notUpdatingRatio, collapseTolerance, collapsePatience, lossWindow, lossWarmup,
                    minRelativeDecrease, lossPatience, divergenceFactor, divergenceMinIncrease, divergencePatience,
                    oscillationBlock, oscillationBlocks, oscillationTolerance, oscillationMinSwing, oscillationSwings,
                    underfitTrainLoss, underfitMinEpochs, overfitGap, convergedGap, convergedTrainLoss,
                    fittingPatience, trendEpochs, trendMinRise, regularizationShare, regularizationPatience);
        }
    }
}
