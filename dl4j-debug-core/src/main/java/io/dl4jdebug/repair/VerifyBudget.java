package io.dl4jdebug.repair;

/**
 * How much {@link FixVerifier} may spend.
 *
 * @param iterations          training iterations of each copy (the unchanged one and each remedy)
 * @param incidents           how many of the top loud incidents get a trial
 * @param remediesPerIncident how many remedies of one incident are tried, best first, until one is confirmed
 * @param minImprovement      relative loss improvement over the unchanged copy that confirms a remedy (0.05 = 5 %)
 * @param evaluationBatches   minibatches merged into the set the losses before and after are measured on
 */
public record VerifyBudget(int iterations, int incidents, int remediesPerIncident, double minImprovement,
                           int evaluationBatches) {

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
    }

    /** @return 60 iterations, the top 3 incidents, 2 remedies each, 5 % improvement, 4 evaluation batches */
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
                d.evaluationBatches());
    }
}
