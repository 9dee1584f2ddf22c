package io.dl4jdebug.model;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Families of activation functions, grouped by what the monitors need to know about them: whether a unit can die
 * (outputs exactly zero) and which bounds its outputs saturate against.
 */
public enum ActivationKind {
    /** ReLU and its relatives that output exact zeros for negative input (relu, relu6, thresholded relu). */
    RELU_LIKE(Double.NaN, Double.NaN),
    /** Leaky or smooth rectifiers that keep a gradient below zero (leakyrelu, elu, selu, gelu, swish, softplus...). */
    RECTIFIER_WITH_LEAK(Double.NaN, Double.NaN),
    /** tanh and its hard variant, bounded by -1 and 1. */
    TANH(-1.0, 1.0),
    /** softsign, bounded by -1 and 1. */
    SOFTSIGN(-1.0, 1.0),
    /** sigmoid and hard sigmoid, bounded by 0 and 1. */
    SIGMOID(0.0, 1.0),
    /** softmax: a distribution per example. */
    SOFTMAX(Double.NaN, Double.NaN),
    /** The identity (linear) activation. */
    IDENTITY(Double.NaN, Double.NaN),
    /** Any other activation function. */
    OTHER(Double.NaN, Double.NaN),
    /** The vertex or layer has no activation function (pooling, batch normalization, merge and add vertices). */
    NONE(Double.NaN, Double.NaN);

    private final double lowerBound;
    private final double upperBound;

    ActivationKind(double lowerBound, double upperBound) {
        this.lowerBound = lowerBound;
        this.upperBound = upperBound;
    }

    /** @return true when the outputs have a lower and an upper bound that a unit can saturate against */
    public boolean isBounded() {
        return !Double.isNaN(lowerBound);
    }

    /** @return the lower bound of the outputs, empty when the activation is unbounded */
    public OptionalDouble lowerBound() {
        return isBounded() ? OptionalDouble.of(lowerBound) : OptionalDouble.empty();
    }

    /** @return the upper bound of the outputs, empty when the activation is unbounded */
    public OptionalDouble upperBound() {
        return isBounded() ? OptionalDouble.of(upperBound) : OptionalDouble.empty();
    }

    /** @return true when units can die: the outputs are exactly zero for all negative input */
    public boolean canDie() {
        return this == RELU_LIKE;
    }

    /**
     * Classifies a DL4J activation function by its name as DL4J prints it ({@code IActivation.toString()}, e.g.
     * "relu", "tanh", "sigmoid") or its class name (e.g. "ActivationReLU").
     *
     * @param name the activation's name, or null (or "none") when there is none
     * @return the family it belongs to
     */
    public static ActivationKind classify(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("none")) {
            return NONE;
        }
        String n = name.toLowerCase(Locale.ROOT).replace("activation", "").replace("_", "").trim();
        if (n.startsWith("relu") || n.startsWith("thresholdedrelu") || n.equals("rectifiedtanh")) {
            return RELU_LIKE;
        }
        if (n.startsWith("leakyrelu") || n.startsWith("elu") || n.startsWith("selu") || n.startsWith("gelu")
                || n.startsWith("swish") || n.startsWith("mish") || n.startsWith("softplus") || n.startsWith("prelu")
                || n.startsWith("rrelu")) {
            return RECTIFIER_WITH_LEAK;
        }
        if (n.startsWith("tanh") || n.startsWith("hardtanh") || n.startsWith("rationaltanh")) {
            return TANH;
        }
        if (n.startsWith("softsign")) {
            return SOFTSIGN;
        }
        if (n.startsWith("sigmoid") || n.startsWith("hardsigmoid")) {
            return SIGMOID;
        }
        if (n.startsWith("softmax") || n.startsWith("logsoftmax")) {
            return SOFTMAX;
        }
        if (n.startsWith("identity") || n.startsWith("linear")) {
            return IDENTITY;
        }
        return OTHER;
    }
}
