package io.dl4jdebug.diagnose;

import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.ScoreSnapshot;

import java.io.Serializable;
import java.util.List;

/**
 * One judgement over the snapshot history: it keeps what it needs between calls and returns the findings that became
 * true with each snapshot. Every hook returns nothing by default; a rule overrides the ones it judges. The
 * {@link RuleEngine} hands every snapshot to every rule, in registration order. Plain Java, no ND4J; not thread safe.
 */
public interface Rule extends Serializable {

    /**
     * @param snapshot a gradient snapshot
     * @return new findings
     */
    default List<Finding> onGradients(GradientSnapshot snapshot) {
        return List.of();
    }

    /**
     * @param snapshot an activation snapshot
     * @return new findings
     */
    default List<Finding> onActivations(ActivationSnapshot snapshot) {
        return List.of();
    }

    /**
     * @param snapshot one iteration's score
     * @return new findings
     */
    default List<Finding> onScore(ScoreSnapshot snapshot) {
        return List.of();
    }

    /**
     * @param snapshot one epoch's losses
     * @return new findings
     */
    default List<Finding> onEpoch(EpochSnapshot snapshot) {
        return List.of();
    }
}
