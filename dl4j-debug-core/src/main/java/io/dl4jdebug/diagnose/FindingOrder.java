package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Orders findings most important first, the way the method reads them: by level (code, then numerical, then
 * optimization: fix the earliest level first), then severity (errors first), then by how close the symptom is to a
 * root cause (dead units explain vanishing gradients; a learning rate too high explains a diverging loss), then by
 * the iteration where it was first seen. Stateless.
 */
public final class FindingOrder {

    /** Symptoms in root-cause-first order within their level. */
    private static final List<Symptom> ROOT_CAUSE_FIRST = List.of(
            // code
            Symptom.SHAPE_MISMATCH, Symptom.DATA_NON_FINITE, Symptom.LABELS_INVALID, Symptom.DATA_LEAKAGE, Symptom.LOSS_OUTPUT_MISMATCH,
            Symptom.BATCHNORM_MISCONFIGURED, Symptom.DROPOUT_MISCONFIGURED, Symptom.GRADIENT_MISSING,
            Symptom.GRADIENT_CHECK_FAILED, Symptom.DATA_UNNORMALIZED, Symptom.CLASS_IMBALANCE,
            Symptom.INIT_LOSS_UNEXPECTED, Symptom.CANNOT_OVERFIT_SMALL_BATCH, Symptom.NONDETERMINISTIC,
            Symptom.BACKEND_MISMATCH,
            // numerical
            Symptom.NON_FINITE, Symptom.DEAD_UNITS, Symptom.SATURATED_ACTIVATIONS, Symptom.ACTIVATION_COLLAPSE,
            Symptom.EXPLODING_GRADIENT, Symptom.VANISHING_GRADIENT, Symptom.LOSS_DIVERGING,
            // optimization
            Symptom.LEARNING_RATE_TOO_HIGH, Symptom.LEARNING_RATE_TOO_LOW, Symptom.WEIGHTS_NOT_UPDATING,
            Symptom.REGULARIZATION_DOMINATES, Symptom.OVERFITTING, Symptom.UNDERFITTING, Symptom.LOSS_OSCILLATING,
            Symptom.LOSS_NOT_DECREASING);

    private static final Map<Symptom, Integer> RANK = new EnumMap<>(Symptom.class);

    static {
        for (Symptom s : Symptom.values()) {
            int i = ROOT_CAUSE_FIRST.indexOf(s);
            RANK.put(s, i < 0 ? ROOT_CAUSE_FIRST.size() : i);
        }
    }

    /** Most important first. */
    public static final Comparator<Finding> IMPORTANCE = Comparator
            .comparing((Finding f) -> f.level().ordinal())
            .thenComparing(f -> -f.severity().ordinal())
            .thenComparing(f -> RANK.get(f.symptom()))
            .thenComparingLong(Finding::firstIteration);

    private FindingOrder() {
    }

    /**
     * @param findings findings in any order
     * @return a new list, most important first
     */
    public static List<Finding> mostImportantFirst(Collection<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(IMPORTANCE);
        return sorted;
    }
}
