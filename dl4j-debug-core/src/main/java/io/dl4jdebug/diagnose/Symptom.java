package io.dl4jdebug.diagnose;

/** The stable vocabulary of findings; each symptom belongs to one of the method's three levels. */
public enum Symptom {
    /** A NaN or infinite value in activations, gradients, parameters or the score. */
    NON_FINITE(Level.NUMERICAL),
    /** Gradient norms above the exploding threshold. */
    EXPLODING_GRADIENT(Level.NUMERICAL),
    /** Gradient norms below the vanishing threshold. */
    VANISHING_GRADIENT(Level.NUMERICAL),
    /** Units whose output is zero for every example. */
    DEAD_UNITS(Level.NUMERICAL),
    /** Bounded activations stuck at their bounds. */
    SATURATED_ACTIVATIONS(Level.NUMERICAL),
    /** Outputs identical across examples. */
    ACTIVATION_COLLAPSE(Level.NUMERICAL),
    /**
     * Units of one layer that compute the same function (identical incoming weights, from a constant or zero weight
     * init): the symmetry is never broken, so the layer acts as one unit.
     */
    UNITS_IDENTICAL(Level.NUMERICAL),
    /** A layer too narrow for what must pass through it: a bottleneck that caps what the network can fit. */
    LAYER_TOO_NARROW(Level.OPTIMIZATION),
    /** Parameters that do not change. */
    WEIGHTS_NOT_UPDATING(Level.OPTIMIZATION),
    /** Update:parameter ratio far above ~1e-3. */
    LEARNING_RATE_TOO_HIGH(Level.OPTIMIZATION),
    /** Update:parameter ratio far below ~1e-3. */
    LEARNING_RATE_TOO_LOW(Level.OPTIMIZATION),
    /** Loss at initialisation far from ln(C) for a C-class softmax. */
    INIT_LOSS_UNEXPECTED(Level.CODE),
    /** Loss does not go down. */
    LOSS_NOT_DECREASING(Level.OPTIMIZATION),
    /** Loss grows. */
    LOSS_DIVERGING(Level.NUMERICAL),
    /** Loss jumps up and down. */
    LOSS_OSCILLATING(Level.OPTIMIZATION),
    /** Validation loss well above training loss. */
    OVERFITTING(Level.OPTIMIZATION),
    /** Training loss stays high. */
    UNDERFITTING(Level.OPTIMIZATION),
    /** The network cannot memorise a handful of examples. */
    CANNOT_OVERFIT_SMALL_BATCH(Level.CODE),
    /** Regularization terms dominate the loss or the update. */
    REGULARIZATION_DOMINATES(Level.OPTIMIZATION),
    /** Dropout configured in a way that harms training (DL4J's dropOut(p) is the retain probability). */
    DROPOUT_MISCONFIGURED(Level.CODE),
    /** BatchNormalization configured in a way that stalls or breaks training. */
    BATCHNORM_MISCONFIGURED(Level.CODE),
    /** Loss, output activation and label encoding do not fit together. */
    LOSS_OUTPUT_MISMATCH(Level.CODE),
    /** A trainable parameter receives no gradient. */
    GRADIENT_MISSING(Level.CODE),
    /** Backpropagated gradients disagree with numerical differences. */
    GRADIENT_CHECK_FAILED(Level.CODE),
    /** Features contain NaN or infinite values. */
    DATA_NON_FINITE(Level.CODE),
    /** Features are far from zero mean / unit scale. */
    DATA_UNNORMALIZED(Level.CODE),
    /** Labels are not valid for the loss (not one-hot, out of range). */
    LABELS_INVALID(Level.CODE),
    /** Classes are heavily imbalanced. */
    CLASS_IMBALANCE(Level.CODE),
    /** Training and validation sets share examples. */
    DATA_LEAKAGE(Level.CODE),
    /** Repeated runs with the same seed differ. */
    NONDETERMINISTIC(Level.CODE),
    /** The ND4J backend is not the one expected (CUDA expected, CPU running, or the reverse). */
    BACKEND_MISMATCH(Level.CODE),
    /** The network cannot run on the data: the forward pass fails or its output shape differs from the labels'. */
    SHAPE_MISMATCH(Level.CODE),
    /**
     * The same training data score much worse in inference mode than in training mode: BatchNormalization running
     * statistics that do not follow the data, or dropout; not overfitting.
     */
    TRAIN_INFERENCE_MISMATCH(Level.CODE),
    /** A parameter that cannot learn by construction (a bias right before BatchNormalization): redundant, harmless. */
    REDUNDANT_PARAMETER(Level.CODE);

    private final Level level;

    Symptom(Level level) {
        this.level = level;
    }

    /** @return the debugging level this symptom belongs to */
    public Level level() {
        return level;
    }

    /**
     * The data property a data-level symptom sits in, whose fix is a change to the data rather than to the
     * network's configuration (advice: no copy of the network can try it).
     *
     * @return the property, empty for symptoms of the network or the training
     */
    public java.util.Optional<Setting> dataProperty() {
        return java.util.Optional.ofNullable(switch (this) {
            case DATA_LEAKAGE -> Setting.DATA_SPLIT;
            case LABELS_INVALID -> Setting.LABELS;
            case DATA_NON_FINITE, DATA_UNNORMALIZED -> Setting.INPUT_SCALE;
            default -> null;
        });
    }
}
