package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.dl4jdebug.diagnose.Symptom.*;

/**
 * The explicit cause → effect table of the diagnosis (Alertmanager's {@code inhibit_rules}): when a cause fired no
 * later than an effect, and where the layers' positions allow it, the effect is folded under the cause's incident.
 * Each edge has a one-line reason, printed in {@code docs/report.md}. Where two symptoms can explain each other
 * (an exploding gradient kills units, dead units raise the update ratio), the one seen first wins, then
 * {@link #PRIORITY}. Stateless.
 */
public final class CausalEdges {

    /** Where the effect may sit relative to the cause's layers. */
    public enum Position {
        /** Anywhere (or the effect is global). */
        ANY,
        /**
         * At or before the cause's last layer plus one, in forward order: backprop carries a vanished gradient
         * towards the input, and the layer right after a dead one gets zero input, so zero weight gradients.
         */
        UPSTREAM,
        /** At or after the cause's first layer: the forward pass carries the damage towards the output. */
        DOWNSTREAM
    }

    /**
     * One cause → effect edge.
     *
     * @param cause    the symptom that explains
     * @param effect   the symptom explained
     * @param position where the effect may sit
     * @param reason   one line: why the cause produces the effect
     */
    public record Edge(Symptom cause, Symptom effect, Position position, String reason) {
    }

    /**
     * Root-cause-first order of the symptoms, used when two groups start at the same iteration: data and
     * configuration before numerics, numerics before their optimization consequences.
     */
    public static final List<Symptom> PRIORITY = List.of(SHAPE_MISMATCH, BACKEND_MISMATCH, DATA_NON_FINITE,
            LABELS_INVALID, DATA_LEAKAGE, LOSS_OUTPUT_MISMATCH, BATCHNORM_MISCONFIGURED, DROPOUT_MISCONFIGURED,
            TRAIN_INFERENCE_MISMATCH, DATA_UNNORMALIZED, REGULARIZATION_DOMINATES, LEARNING_RATE_TOO_HIGH,
            LEARNING_RATE_TOO_LOW, GRADIENT_CHECK_FAILED, EXPLODING_GRADIENT, DEAD_UNITS, SATURATED_ACTIVATIONS,
            VANISHING_GRADIENT, ACTIVATION_COLLAPSE, UNITS_IDENTICAL, LAYER_TOO_NARROW, NON_FINITE, LOSS_DIVERGING, GRADIENT_MISSING,
            WEIGHTS_NOT_UPDATING, CLASS_IMBALANCE, INIT_LOSS_UNEXPECTED, NONDETERMINISTIC, LOSS_OSCILLATING,
            CANNOT_OVERFIT_SMALL_BATCH, LOSS_NOT_DECREASING, OVERFITTING, UNDERFITTING, REDUNDANT_PARAMETER);

    private static final Set<Symptom> GRADIENT_SYMPTOMS = EnumSet.of(VANISHING_GRADIENT, EXPLODING_GRADIENT,
            GRADIENT_MISSING, WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_HIGH, LEARNING_RATE_TOO_LOW);

    private static final Map<Symptom, List<Edge>> BY_CAUSE = new EnumMap<>(Symptom.class);

    static {
        String lrHigh = "steps too large for the weights' scale";
        edges(LEARNING_RATE_TOO_HIGH, Position.ANY, lrHigh + " blow the weights and the loss up",
                LOSS_DIVERGING, NON_FINITE, EXPLODING_GRADIENT, LOSS_OSCILLATING);
        edges(LEARNING_RATE_TOO_HIGH, Position.ANY, lrHigh + " push units into their dead or saturated range, "
                + "after which the gradient and the update stop", DEAD_UNITS, SATURATED_ACTIVATIONS,
                ACTIVATION_COLLAPSE, VANISHING_GRADIENT, GRADIENT_MISSING, WEIGHTS_NOT_UPDATING,
                LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(EXPLODING_GRADIENT, Position.ANY, "huge gradients make huge steps: the weights overflow or leave the "
                        + "units dead or saturated", NON_FINITE, LOSS_DIVERGING, LOSS_OSCILLATING, DEAD_UNITS,
                SATURATED_ACTIVATIONS, LEARNING_RATE_TOO_HIGH, VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING,
                INIT_LOSS_UNEXPECTED, ACTIVATION_COLLAPSE, LOSS_NOT_DECREASING, UNDERFITTING);
        edges(LOSS_DIVERGING, Position.ANY, "a loss that grows without bound overflows", NON_FINITE);
        edges(NON_FINITE, Position.ANY, "once a value is NaN/Inf everything computed from it is too",
                LOSS_DIVERGING, WEIGHTS_NOT_UPDATING, GRADIENT_MISSING, VANISHING_GRADIENT, LOSS_NOT_DECREASING);
        edges(DEAD_UNITS, Position.UPSTREAM, "dead ReLUs pass no gradient back: the weights before them (and right "
                + "after them) get none", VANISHING_GRADIENT, GRADIENT_MISSING, WEIGHTS_NOT_UPDATING);
        edges(DEAD_UNITS, Position.DOWNSTREAM, "the layers after a dead one see the same (zero) input for every "
                + "example", ACTIVATION_COLLAPSE);
        edges(DEAD_UNITS, Position.ANY, "with its units dead the network cannot fit: the update ratio and the "
                + "loss stall", LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(SATURATED_ACTIVATIONS, Position.UPSTREAM, "a saturated sigmoid/tanh has a near-zero derivative",
                VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING, GRADIENT_MISSING);
        edges(SATURATED_ACTIVATIONS, Position.DOWNSTREAM, "units stuck at a bound give the same output for every "
                + "example", ACTIVATION_COLLAPSE);
        edges(SATURATED_ACTIVATIONS, Position.ANY, "saturated units stall learning", LEARNING_RATE_TOO_LOW,
                LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(VANISHING_GRADIENT, Position.ANY, "without gradient the weights cannot move", WEIGHTS_NOT_UPDATING,
                LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH,
                GRADIENT_MISSING);
        edges(VANISHING_GRADIENT, Position.DOWNSTREAM, "layers whose weights cannot learn keep erasing the input",
                ACTIVATION_COLLAPSE);
        edges(ACTIVATION_COLLAPSE, Position.ANY, "when every example gives the same output the loss gradient "
                        + "carries no information about the input", VANISHING_GRADIENT, GRADIENT_MISSING,
                WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, UNDERFITTING,
                CANNOT_OVERFIT_SMALL_BATCH);
        edges(BATCHNORM_MISCONFIGURED, Position.ANY, "BatchNormalization with gamma 0 outputs a constant: the "
                        + "signal and the gradient stop there", ACTIVATION_COLLAPSE, GRADIENT_MISSING, DEAD_UNITS,
                VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING,
                UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH, TRAIN_INFERENCE_MISMATCH, SATURATED_ACTIVATIONS);
        edges(GRADIENT_MISSING, Position.ANY, "a parameter without gradient cannot move", WEIGHTS_NOT_UPDATING,
                VANISHING_GRADIENT, LEARNING_RATE_TOO_LOW, LOSS_NOT_DECREASING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(DATA_UNNORMALIZED, Position.ANY, "inputs far from unit scale saturate or kill the first units and "
                        + "give huge first-layer gradients", SATURATED_ACTIVATIONS, EXPLODING_GRADIENT, DEAD_UNITS,
                NON_FINITE, LOSS_DIVERGING, LEARNING_RATE_TOO_HIGH, ACTIVATION_COLLAPSE, LOSS_OSCILLATING,
                LOSS_NOT_DECREASING, INIT_LOSS_UNEXPECTED, VANISHING_GRADIENT, TRAIN_INFERENCE_MISMATCH,
                UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH, WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW);
        edges(DATA_NON_FINITE, Position.ANY, "a NaN/Inf in the input reaches every value computed from it",
                NON_FINITE, LOSS_DIVERGING, INIT_LOSS_UNEXPECTED, GRADIENT_MISSING, DATA_UNNORMALIZED,
                WEIGHTS_NOT_UPDATING, VANISHING_GRADIENT, LOSS_NOT_DECREASING, SHAPE_MISMATCH);
        edges(LABELS_INVALID, Position.ANY, "examples without a valid label add no loss in training, so the "
                + "training loss looks lower than the validation loss", OVERFITTING);
        edges(LABELS_INVALID, Position.ANY, "labels the loss cannot use give a meaningless loss and gradient",
                INIT_LOSS_UNEXPECTED, LOSS_NOT_DECREASING, NON_FINITE, LOSS_DIVERGING, UNDERFITTING,
                CLASS_IMBALANCE, LOSS_OUTPUT_MISMATCH, CANNOT_OVERFIT_SMALL_BATCH, LOSS_OSCILLATING);
        edges(LOSS_OUTPUT_MISMATCH, Position.ANY, "a loss that does not fit the output activation gives wrong or "
                        + "vanishing gradients at the output", INIT_LOSS_UNEXPECTED, LOSS_NOT_DECREASING, NON_FINITE,
                LOSS_DIVERGING, UNDERFITTING, VANISHING_GRADIENT, SATURATED_ACTIVATIONS, CANNOT_OVERFIT_SMALL_BATCH,
                WEIGHTS_NOT_UPDATING, LEARNING_RATE_TOO_LOW, GRADIENT_MISSING);
        edges(DROPOUT_MISCONFIGURED, Position.ANY, "dropping most units makes every step noisy and the training "
                        + "output different from inference", UNDERFITTING, LOSS_NOT_DECREASING, LOSS_OSCILLATING,
                CANNOT_OVERFIT_SMALL_BATCH, TRAIN_INFERENCE_MISMATCH, DEAD_UNITS, OVERFITTING,
                ACTIVATION_COLLAPSE, LEARNING_RATE_TOO_LOW, LEARNING_RATE_TOO_HIGH);
        edges(REGULARIZATION_DOMINATES, Position.ANY, "a penalty larger than the data loss pulls every weight to 0",
                UNDERFITTING, LOSS_NOT_DECREASING, VANISHING_GRADIENT, WEIGHTS_NOT_UPDATING, DEAD_UNITS,
                ACTIVATION_COLLAPSE, LEARNING_RATE_TOO_HIGH, LEARNING_RATE_TOO_LOW, CANNOT_OVERFIT_SMALL_BATCH);
        edges(TRAIN_INFERENCE_MISMATCH, Position.ANY, "inference mode computes a different function than training: "
                + "the validation loss is high for that reason, not because the model memorised", OVERFITTING);
        edges(LEARNING_RATE_TOO_LOW, Position.ANY, "steps too small to move the weights", WEIGHTS_NOT_UPDATING,
                LOSS_NOT_DECREASING, UNDERFITTING, CANNOT_OVERFIT_SMALL_BATCH);
        edges(WEIGHTS_NOT_UPDATING, Position.ANY, "weights that do not change cannot lower the loss",
                LOSS_NOT_DECREASING, UNDERFITTING, LEARNING_RATE_TOO_LOW, CANNOT_OVERFIT_SMALL_BATCH);
        edges(LOSS_NOT_DECREASING, Position.ANY, "a loss that does not go down stays high", UNDERFITTING);
        edges(INIT_LOSS_UNEXPECTED, Position.ANY, "an initial loss far from ln(C) means saturated or overconfident "
                + "outputs from the start", LOSS_NOT_DECREASING);
    }

    private CausalEdges() {
    }

    private static void edges(Symptom cause, Position position, String reason, Symptom... effects) {
        List<Edge> list = BY_CAUSE.computeIfAbsent(cause, k -> new ArrayList<>());
        for (Symptom e : effects) {
            list.add(new Edge(cause, e, position, reason));
        }
    }

    /** @return every edge, grouped by cause in {@link #PRIORITY} order */
    public static List<Edge> all() {
        List<Edge> all = new ArrayList<>();
        for (Symptom s : PRIORITY) {
            all.addAll(BY_CAUSE.getOrDefault(s, List.of()));
        }
        return Collections.unmodifiableList(all);
    }

    /**
     * @param cause  a symptom
     * @param effect another
     * @return the edge from cause to effect, empty when the cause does not explain the effect
     */
    public static Optional<Edge> edge(Symptom cause, Symptom effect) {
        return BY_CAUSE.getOrDefault(cause, List.of()).stream().filter(e -> e.effect() == effect).findFirst();
    }

    /**
     * @param symptom a symptom
     * @return its rank in {@link #PRIORITY} (lower is more of a root cause)
     */
    public static int priority(Symptom symptom) {
        int i = PRIORITY.indexOf(symptom);
        return i < 0 ? PRIORITY.size() : i;
    }

    /**
     * @param symptom a symptom
     * @return true for symptoms measured on gradients or updates, whose origin is the output side (backward order)
     */
    public static boolean isGradientSymptom(Symptom symptom) {
        return GRADIENT_SYMPTOMS.contains(symptom);
    }
}
