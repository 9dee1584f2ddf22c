package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One concrete change to a network's configuration (or its input), in plain values, worded for this network: the
 * fix an incident proposes and the change {@code repair.FixVerifier} applies to a copy of the network to try it.
 *
 * @param kind     what is changed
 * @param layers   the layers changed (empty for a change of the whole network or of the input)
 * @param value    the number the change sets or scales by (see {@link Kind}); 0 when unused
 * @param argument a name the change sets (an activation, a weight init, a loss), "" when unused
 * @param text     the fix as the user reads it: the layers and the DL4J builder call
 */
public record Remedy(Kind kind, List<String> layers, double value, String argument, String text)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * What a remedy changes: the setting, and the symptom-level cause a confirmed change proves, where there is one
     * (a rate lowered that cures a NaN proves the rate was too high). A change of the initialisation, activation,
     * updater hyper-parameter, schedule or batch size proves only its setting: it names no symptom, and the incident
     * keeps its root (the symptom it cured) with that setting.
     */
    public enum Kind {
        /** Multiply the learning rate of {@code layers} (all trainable layers when empty) by {@code value}. */
        SCALE_LEARNING_RATE(Symptom.LEARNING_RATE_TOO_HIGH, Setting.LEARNING_RATE),
        /** Raise the learning rate of {@code layers} by {@code value} (a factor > 1). */
        RAISE_LEARNING_RATE(Symptom.LEARNING_RATE_TOO_LOW, Setting.LEARNING_RATE),
        /** Give {@code layers} (frozen by a zero learning rate) the learning rate {@code value}. */
        UNFREEZE(Symptom.WEIGHTS_NOT_UPDATING, Setting.LEARNING_RATE),
        /** Set BatchNormalization gamma of {@code layers} to {@code value} (and unlock gamma/beta). */
        SET_GAMMA(Symptom.BATCHNORM_MISCONFIGURED, Setting.BATCH_NORMALIZATION),
        /** Set the activation of {@code layers} to {@code argument} (with the matching weight init). */
        SET_ACTIVATION(null, Setting.ACTIVATION),
        /** Set the bias init of {@code layers} to {@code value}. */
        SET_BIAS_INIT(null, Setting.BIAS_INIT),
        /** Set the weight init of {@code layers} to {@code argument}. */
        SET_WEIGHT_INIT(null, Setting.WEIGHT_INIT),
        /**
         * Gradient normalization {@code argument} (a {@code GradientNormalization} name; "" means ClipL2PerLayer;
         * "None" removes normalization) with threshold {@code value} on every trainable layer.
         */
        CLIP_GRADIENTS(Symptom.EXPLODING_GRADIENT, Setting.GRADIENT_NORMALIZATION),
        /** Truncated backprop through time of {@code value} steps, forward and backward (the whole network). */
        TRUNCATE_BPTT(Symptom.EXPLODING_GRADIENT, Setting.BPTT_LENGTH),
        /** Set the dropout retain probability of {@code layers} to {@code value} (1 removes dropout). */
        SET_DROPOUT(Symptom.DROPOUT_MISCONFIGURED, Setting.DROPOUT),
        /** Set the L2 coefficient of {@code layers} to {@code value}. */
        SET_L2(Symptom.REGULARIZATION_DOMINATES, Setting.REGULARIZATION),
        /**
         * Set the output layer's activation/loss pair {@code argument} ("ACTIVATION/LOSS", e.g. "SOFTMAX/MCXENT",
         * "SIGMOID/XENT", "IDENTITY/MSE"; "" means softmax with multi-class cross-entropy).
         */
        SET_OUTPUT_LOSS(Symptom.LOSS_OUTPUT_MISMATCH, Setting.LOSS_FUNCTION),
        /** Standardise the input features (NormalizerStandardize fitted on the training data). */
        NORMALIZE_INPUT(Symptom.DATA_UNNORMALIZED, Setting.INPUT_SCALE),
        /** Set BatchNormalization's epsilon of {@code layers} to {@code value}. */
        SET_BATCHNORM_EPS(Symptom.BATCHNORM_MISCONFIGURED, Setting.BATCH_NORMALIZATION),
        /** Set BatchNormalization's running-statistics decay of {@code layers} to {@code value}. */
        SET_BATCHNORM_DECAY(Symptom.TRAIN_INFERENCE_MISMATCH, Setting.BATCH_NORMALIZATION),
        /**
         * Replace the learning-rate schedule of {@code layers} (all trainable layers when empty) by the fixed rate
         * {@code value} (the schedule's value at iteration 0 unless the fix says otherwise).
         */
        REMOVE_SCHEDULE(null, Setting.LEARNING_RATE_SCHEDULE),
        /**
         * Set the updater hyper-parameter {@code argument} ("momentum", "beta1", "beta2", "epsilon", "rho") of
         * {@code layers} (all when empty) to {@code value}, keeping the rate and its schedule.
         */
        SET_UPDATER_PARAMETER(null, Setting.UPDATER),
        /**
         * Average gradients over the minibatch ({@code miniBatch(true)}, DL4J's default). Proves a setting only: summed
         * gradients make every step too large, whichever symptom showed it first.
         */
        AVERAGE_MINIBATCH(null, Setting.MINIBATCH_AVERAGING),
        /** Set the regularization {@code argument} ("l1", "l2", "weightDecay") of {@code layers} to {@code value}. */
        SET_REGULARIZATION(Symptom.REGULARIZATION_DOMINATES, Setting.REGULARIZATION),
        /** Set the number of units (nOut) of {@code layers} to {@code value}, and the nIn of what they feed. */
        SET_WIDTH(Symptom.LAYER_TOO_NARROW, Setting.LAYER_WIDTH),
        /** Feed minibatches of {@code value} examples. */
        SET_BATCH_SIZE(null, Setting.BATCH_SIZE);

        private final Symptom names;
        private final Setting setting;

        Kind(Symptom names, Setting setting) {
            this.names = names;
            this.setting = setting;
        }

        /** @return the setting a remedy of this kind changes */
        public Setting setting() {
            return setting;
        }

        /** @return the symptom-level cause a confirmed remedy of this kind proves, empty when it proves a setting only */
        public Optional<Symptom> names() {
            return Optional.ofNullable(names);
        }
    }

    /** Validates the fields and copies the layers. */
    public Remedy {
        Objects.requireNonNull(kind, "kind");
        layers = List.copyOf(layers);
        Objects.requireNonNull(argument, "argument");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a remedy needs a text");
        }
    }

    /** @return the setting this remedy changes */
    public Setting setting() {
        return kind.setting();
    }

    /** @return the symptom-level cause this remedy proves when it is confirmed on a copy, empty for a setting only */
    public Optional<Symptom> names() {
        return kind.names();
    }
}
