package io.dl4jdebug.samples.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One way of training the same network: bare, with listeners, or wrapped.
 *
 * @param name   printed name
 * @param target the time ratio to a bare fit this variant must stay under, if it has one
 * @param setup  turns a fresh network into what is fitted (called once per network)
 */
public record Variant(String name, OptionalDouble target, Function<Model, Setup> setup) {

    /** Validates. */
    public Variant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(setup, "setup");
    }

    /**
     * A variant that only sets listeners on the network.
     *
     * @param name      printed name
     * @param listeners makes the listeners for one network
     * @return the variant, without a target
     */
    public static Variant listeners(String name, Supplier<List<TrainingListener>> listeners) {
        return new Variant(name, OptionalDouble.empty(), model -> {
            setListeners(model, listeners.get());
            return new Setup(model, () -> { });
        });
    }

    /**
     * @param ratio the time ratio to a bare fit this variant must stay under
     * @return this variant with that target
     */
    public Variant withTarget(double ratio) {
        return new Variant(name, OptionalDouble.of(ratio), setup);
    }

    /**
     * Replaces a network's listeners.
     *
     * @param model     a MultiLayerNetwork or ComputationGraph
     * @param listeners the listeners
     */
    static void setListeners(Model model, List<TrainingListener> listeners) {
        if (model instanceof MultiLayerNetwork net) {
            net.setListeners(listeners);
        } else if (model instanceof ComputationGraph graph) {
            graph.setListeners(listeners);
        } else {
            throw new IllegalArgumentException("bench trains MultiLayerNetwork or ComputationGraph, not "
                    + model.getClass().getName());
        }
    }

    /**
     * What a variant fits, and what to release afterwards.
     *
     * @param model   the network to fit (may be a wrapped copy of the fresh one)
     * @param release closes sessions or storage the variant opened; never throws
     */
    public record Setup(Model model, Runnable release) {
        /** Validates. */
        public Setup {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(release, "release");
        }
    }
}
