package io.dl4jdebug.measure;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where the first NaN or infinite value of a run appeared.
 *
 * @param iteration the iteration (0-based)
 * @param epoch     the epoch (0-based)
 * @param kind      what held it: input, activation, score, gradient or parameter; the layer wrappers add a layer's
 *                  input, the gradient arriving at a layer's output and the gradient a layer produced for its input
 *                  ({@link #pass()} tells the pass)
 * @param layer     the first layer that held it in the order its pass runs: topological order for the forward kinds
 *                  and parameters, backward (reverse topological) order for the backward kinds, gradients included;
 *                  for {@link Kind#INPUT} the input's name, for {@link Kind#SCORE} the output layer
 * @param parameter the parameter key for gradients and parameters, null otherwise
 * @param count     how many values were NaN or infinite in that array
 * @param total     how many values the array has
 * @param worker    the DL4J ParallelWrapper worker that measured it ({@code worker-<n>} for ParallelWrapper's
 *                  training thread n, see {@code io.dl4jdebug.listener.Workers}), empty outside ParallelWrapper; null (an old stored record) reads as empty
 */
public record NonFiniteEvent(long iteration, int epoch, Kind kind, String layer, String parameter, long count,
                             long total, String worker) implements Serializable, WorkerScoped {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public NonFiniteEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(layer, "layer");
        if (count < 1 || total < count) {
            throw new IllegalArgumentException("need 1 <= count <= total but got count=" + count + ", total=" + total);
        }
        worker = worker == null ? "" : worker;
    }

    /**
     * An event outside ParallelWrapper (no worker).
     *
     * @param iteration the iteration
     * @param epoch     the epoch
     * @param kind      what held the value
     * @param layer     the layer
     * @param parameter the parameter key, or null
     * @param count     how many values were NaN or infinite
     * @param total     how many values the array has
     */
    public NonFiniteEvent(long iteration, int epoch, Kind kind, String layer, String parameter, long count,
                          long total) {
        this(iteration, epoch, kind, layer, parameter, count, total, "");
    }

    /**
     * @param worker the ParallelWrapper worker (empty for none)
     * @return this event, seen by that worker
     */
    public NonFiniteEvent withWorker(String worker) {
        return new NonFiniteEvent(iteration, epoch, kind, layer, parameter, count, total, worker);
    }


    /** What held the non-finite value, in the order DL4J computes them within one iteration. */
    public enum Kind {
        /** The network's input features. */
        INPUT,
        /**
         * The input of a wrapped layer in the forward pass: the value came from upstream but not from a wrapped layer
         * (the data, an input preprocessor or a graph vertex such as an element-wise add).
         */
        LAYER_INPUT,
        /** A layer's output in the forward pass. */
        ACTIVATION,
        /** The loss. */
        SCORE,
        /**
         * dL/d(output) arriving at a wrapped layer in the backward pass: made above it by something that is not
         * wrapped (the output layer and its loss, or a graph vertex).
         */
        OUTPUT_GRADIENT,
        /** dL/d(input) that a wrapped layer produced in the backward pass from a finite dL/d(output). */
        INPUT_GRADIENT,
        /** The raw gradient of a parameter (backward pass). */
        GRADIENT,
        /** A parameter after the update. */
        PARAMETER
    }

    /** The part of an iteration in which a value was computed. */
    public enum Pass {
        /** The forward pass (inputs, layer outputs, the loss). */
        FORWARD,
        /** The backward pass (activation gradients, parameter gradients). */
        BACKWARD,
        /** The parameter update after the backward pass. */
        UPDATE
    }

    /** @return the pass in which the value held by {@link #kind()} is computed */
    public Pass pass() {
        return switch (kind) {
            case INPUT, LAYER_INPUT, ACTIVATION, SCORE -> Pass.FORWARD;
            case OUTPUT_GRADIENT, INPUT_GRADIENT, GRADIENT -> Pass.BACKWARD;
            case PARAMETER -> Pass.UPDATE;
        };
    }

    /** @return one sentence naming iteration, kind, layer, parameter and counts */
    public String describe() {
        if (kind == Kind.SCORE) {
            return "first non-finite value at iteration " + iteration + " (epoch " + epoch + onWorker()
                    + "): the score (loss) of output layer '" + layer + "' is NaN/Inf";
        }
        return "first non-finite value at iteration " + iteration + " (epoch " + epoch + onWorker() + "): "
                + count + " of " + total + " values NaN/Inf in " + location();
    }

    /** @return ", ParallelWrapper worker-N" under ParallelWrapper, nothing outside it */
    private String onWorker() {
        if (worker.isEmpty()) {
            return "";
        }
        // ParallelWrapper's workers are worker-<n>; others (DL4J's Spark workers: <JVM UID>_<n>) are named as they are
        return worker.startsWith("worker-") ? ", ParallelWrapper " + worker : ", worker " + worker;
    }

    /** @return where the values were: the kind and the layer (the pass too for the layer wrappers' kinds) */
    private String location() {
        return switch (kind) {
            case LAYER_INPUT -> "the input of layer '" + layer + "' (forward pass; made upstream by the data, a "
                    + "preprocessor or a graph vertex)";
            case OUTPUT_GRADIENT -> "dL/d(output) arriving at layer '" + layer + "' (backward pass; made above it by "
                    + "the loss, the output layer or a graph vertex)";
            case INPUT_GRADIENT -> "dL/d(input) produced by layer '" + layer + "' (backward pass) from a finite "
                    + "dL/d(output)";
            default -> "the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " of "
                    + (kind == Kind.INPUT ? "input '" : "layer '") + layer + "'"
                    + (parameter == null ? "" : ", parameter '" + parameter + "'");
        };
    }
}
