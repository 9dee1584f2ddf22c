package io.dl4jdebug.repair;

/**
 * How much {@link FixVerifier} may spend, and what a confirmation needs.
 *
 * @param iterations          training iterations of each copy (the unchanged ones and each remedy)
 * @param incidents           how many of the top loud incidents get a trial
 * @param remediesPerIncident how many remedies of one incident are tried, best first, until one is confirmed
 * @param minImprovement      the minimum margin when the metric is the original objective's loss: this fraction of
 *                            the unchanged copy's held-out loss (0.05 = 5 %)
 * @param evaluationBatches   at most this many minibatches are held back from the training data (when no validation
 *                            data is given) and the copies are compared on them
 * @param seeds               seeds the unchanged copy is trained at (2 or 3): its own, then other init seeds and
 *                            minibatch orders, whose spread of the held-out metric an improvement must exceed
 * @param minAccuracyGain     the minimum margin when the metric is accuracy, absolute (0.02 = 2 percentage points)
 */
public record VerifyBudget(int iterations, int incidents, int remediesPerIncident, double minImprovement,
                           int evaluationBatches, int seeds, double minAccuracyGain) {

    /** Seeds of the unchanged copy by default. */
    public static final int DEFAULT_SEEDS = 3;
    /** Minimum accuracy gain by default (2 percentage points). */
    public static final double DEFAULT_MIN_ACCURACY_GAIN = 0.02;

    /** Validates the fields, naming the one that is out of range. */
    public VerifyBudget {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1 but was " + iterations);
        }
        if (incidents < 1) {
            throw new IllegalArgumentException("incidents must be >= 1 but was " + incidents);
        }
        if (remediesPerIncident < 1) {
            throw new IllegalArgumentException("remediesPerIncident must be >= 1 but was " + remediesPerIncident);
        }
        if (!(minImprovement >= 0 && minImprovement < 1)) {
            throw new IllegalArgumentException("minImprovement must be in [0, 1) but was " + minImprovement);
        }
        if (evaluationBatches < 1) {
            throw new IllegalArgumentException("evaluationBatches must be >= 1 but was " + evaluationBatches);
        }
        if (seeds < 2 || seeds > 3) {
            throw new IllegalArgumentException("seeds must be 2 or 3 but was " + seeds);
        }
        if (!(minAccuracyGain >= 0 && minAccuracyGain < 1)) {
            throw new IllegalArgumentException("minAccuracyGain must be in [0, 1) but was " + minAccuracyGain);
        }
    }

    /**
     * The budget with the default seeds ({@value #DEFAULT_SEEDS}) and accuracy margin (2 points).
     *
     * @param iterations          training iterations of each copy
     * @param incidents           top loud incidents tried
     * @param remediesPerIncident remedies tried per incident
     * @param minImprovement      minimum relative loss improvement
     * @param evaluationBatches   minibatches held back for the comparison
     */
    public VerifyBudget(int iterations, int incidents, int remediesPerIncident, double minImprovement,
                        int evaluationBatches) {
        this(iterations, incidents, remediesPerIncident, minImprovement, evaluationBatches, DEFAULT_SEEDS,
                DEFAULT_MIN_ACCURACY_GAIN);
    }

    /** @return 60 iterations, the top 3 incidents, 2 remedies each, 5 % loss margin, 4 held-out batches, 3 seeds */
    public static VerifyBudget defaults() {
        return new VerifyBudget(60, 3, 2, 0.05, 4);
    }

    /**
     * @param iterations training iterations of each copy
     * @return the defaults with another iteration count
     */
    public static VerifyBudget ofIterations(int iterations) {
        VerifyBudget d = defaults();
        return new VerifyBudget(iterations, d.incidents(), d.remediesPerIncident(), d.minImprovement(),
                d.evaluationBatches(), d.seeds(), d.minAccuracyGain());
    }

    /**
     * @param seeds seeds of the unchanged copy (2 or 3)
     * @return this budget with another seed count
     */
    public VerifyBudget withSeeds(int seeds) {
        return new VerifyBudget(iterations, incidents, remediesPerIncident, minImprovement, evaluationBatches,
                seeds, minAccuracyGain);
    }
}
