package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a layer's configuration says at iteration 0, in plain values: what the diagnosis needs to tell a cause from a
 * consequence and to build a fix that fits this layer (never one it already has).
 *
 * @param name           the layer or vertex name
 * @param position       its position in topological order
 * @param type           the configuration's simple class name ("DenseLayer", "BatchNormalization", ...)
 * @param activation     the activation as DL4J prints it, "none" when the layer applies none
 * @param weightInit     the weight initialisation as DL4J prints it, "" when the layer has no weights
 * @param biasInit       the bias initialisation, empty when the layer has no bias
 * @param gamma          BatchNormalization's initial gamma, empty for other layers
 * @param lockGammaBeta  whether BatchNormalization's gamma and beta are fixed
 * @param decay          BatchNormalization's running-statistics decay, empty for other layers
 * @param dropoutRetain  the probability of keeping a unit (DL4J's {@code dropOut(p)}), empty without dropout
 * @param l2             the L2 coefficient on the weights (0 when none)
 * @param updater        the updater's class name ("Adam", "Sgd", ...), "" when the layer has no parameters
 * @param learningRate   the updater's learning rate at iteration 0, empty when it has none
 * @param clipping       the gradient normalization ("None" when not set)
 * @param inputs         the names of the layers or vertices feeding this one (the previous layer in a
 *                       MultiLayerNetwork)
 * @param trainable      whether the layer has parameters that training changes (false for frozen and
 *                       parameter-free layers)
 * @param outputLayer    whether it is an output layer
 * @param settings       its width and the settings between its gradient and its update
 */
public record LayerFacts(String name, int position, String type, String activation, String weightInit,
                         OptionalDouble biasInit, OptionalDouble gamma, boolean lockGammaBeta, OptionalDouble decay,
                         OptionalDouble dropoutRetain, double l2, String updater, OptionalDouble learningRate,
                         String clipping, List<String> inputs, boolean trainable, boolean outputLayer,
                         LayerSettings settings)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the inputs. */
    public LayerFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(weightInit, "weightInit");
        Objects.requireNonNull(biasInit, "biasInit");
        Objects.requireNonNull(gamma, "gamma");
        Objects.requireNonNull(decay, "decay");
        Objects.requireNonNull(dropoutRetain, "dropoutRetain");
        Objects.requireNonNull(updater, "updater");
        Objects.requireNonNull(learningRate, "learningRate");
        Objects.requireNonNull(clipping, "clipping");
        inputs = List.copyOf(inputs);
        settings = settings == null ? LayerSettings.UNKNOWN : settings;
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0 but was " + position);
        }
    }

    /**
     * Facts without the settings of the gradient-to-update path ({@link LayerSettings#UNKNOWN}).
     *
     * @param name          the layer or vertex name
     * @param position      its position in topological order
     * @param type          the configuration's simple class name
     * @param activation    the activation, "none" when the layer applies none
     * @param weightInit    the weight initialisation, "" without weights
     * @param biasInit      the bias initialisation, empty without a bias
     * @param gamma         BatchNormalization's initial gamma, empty for other layers
     * @param lockGammaBeta whether BatchNormalization's gamma and beta are fixed
     * @param decay         BatchNormalization's decay, empty for other layers
     * @param dropoutRetain the probability of keeping a unit, empty without dropout
     * @param l2            the L2 coefficient
     * @param updater       the updater's class name
     * @param learningRate  the learning rate at iteration 0
     * @param clipping      the gradient normalization
     * @param inputs        the layers feeding this one
     * @param trainable     whether training changes its parameters
     * @param outputLayer   whether it is an output layer
     */
    public LayerFacts(String name, int position, String type, String activation, String weightInit,
                      OptionalDouble biasInit, OptionalDouble gamma, boolean lockGammaBeta, OptionalDouble decay,
                      OptionalDouble dropoutRetain, double l2, String updater, OptionalDouble learningRate,
                      String clipping, List<String> inputs, boolean trainable, boolean outputLayer) {
        this(name, position, type, activation, weightInit, biasInit, gamma, lockGammaBeta, decay, dropoutRetain, l2,
                updater, learningRate, clipping, inputs, trainable, outputLayer, LayerSettings.UNKNOWN);
    }

    /**
     * @return true for DL4J's recurrent layers (also inside {@code LastTimeStep}, {@code MaskZeroLayer} and other
     *         wrappers, whose innermost type is recorded)
     */
    public boolean isRecurrent() {
        return java.util.Set.of("LSTM", "GravesLSTM", "GravesBidirectionalLSTM", "SimpleRnn", "Bidirectional")
                .contains(type);
    }

    /**
     * @return true when the layer's output for one example (one time step, for a recurrent layer) is a vector of
     *         {@code settings().width()} values: dense, embedding and recurrent layers. A convolution's width is its
     *         channel count, but what it passes on is channels x height x width; a normalisation layer is as wide
     *         as its input. Only layers this returns true for can be a bottleneck of their width.
     */
    public boolean widthBoundsOutput() {
        return isRecurrent() || java.util.Set.of("DenseLayer", "EmbeddingLayer", "EmbeddingSequenceLayer",
                "AutoEncoder", "ElementWiseMultiplicationLayer").contains(type);
    }

    /** @return true for a BatchNormalization layer */
    public boolean isBatchNorm() {
        return type.equals("BatchNormalization");
    }

    /** @return the activation's family name in lower case ("relu", "sigmoid", "none", ...) */
    public String activationName() {
        return activation.toLowerCase(java.util.Locale.ROOT);
    }

    /** @return true when units of this layer can die: the activation outputs exact zeros for negative input */
    public boolean canDie() {
        String a = activationName();
        return a.startsWith("relu") || a.startsWith("thresholdedrelu");
    }

    /**
     * @return true when the activation is bounded and can saturate (sigmoid, tanh, softsign and hard variants, and
     *         softmax, whose outputs share a sum of 1 and whose slope is at most about 1 / width)
     */
    public boolean canSaturate() {
        String a = activationName();
        return a.contains("sigmoid") || a.contains("tanh") || a.startsWith("softsign") || a.contains("softmax");
    }

    /** @return true when gradient clipping (any gradient normalization) is configured */
    public boolean clipped() {
        return !clipping.equalsIgnoreCase("None");
    }
}
