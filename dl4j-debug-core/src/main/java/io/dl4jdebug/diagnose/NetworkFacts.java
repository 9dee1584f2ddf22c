package io.dl4jdebug.diagnose;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the network's configuration says at iteration 0, layer by layer in topological order, plus the output's loss
 * and activation. Read once when the suite is attached (see {@code facts.NetworkFactsReader}); the diagnosis uses it
 * to order causes by position, to refuse fixes the network already has and to word fixes for this network.
 *
 * @param layers           the layers and vertices in topological order
 * @param lossFunction     the output layer's loss function as DL4J prints it, "" when unknown
 * @param outputActivation the output layer's activation, "" when unknown
 * @param tbpttLength      the truncated-BPTT length ({@code BackpropType.TruncatedBPTT}), 0 for standard backprop
 * @param miniBatchAveraged whether gradients are averaged over the minibatch ({@code miniBatch(true)}, DL4J's
 *                         default) rather than summed
 * @param freshWeights     whether the weights were freshly initialised when read (no iteration trained yet), so
 *                         that the loss at initialisation says something about the initialisation
 * @param identicalUnits   the layers whose units all had identical incoming weights when read (the symmetry a
 *                         constant or zero weight init leaves, which training never breaks)
 * @param minibatch        the minibatch size the monitors saw (0 when unknown: before training)
 */
public record NetworkFacts(List<LayerFacts> layers, String lossFunction, String outputActivation, int tbpttLength,
                           boolean miniBatchAveraged, boolean freshWeights, List<String> identicalUnits,
                           int minibatch) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the list. */
    public NetworkFacts {
        layers = List.copyOf(layers);
        Objects.requireNonNull(lossFunction, "lossFunction");
        Objects.requireNonNull(outputActivation, "outputActivation");
        if (tbpttLength < 0) {
            throw new IllegalArgumentException("tbpttLength must be >= 0 but was " + tbpttLength);
        }
        identicalUnits = List.copyOf(identicalUnits);
        minibatch = Math.max(0, minibatch);
    }

    /**
     * Facts as read before training (minibatch size unknown).
     *
     * @param layers            the layers and vertices in topological order
     * @param lossFunction      the output layer's loss function
     * @param outputActivation  the output layer's activation
     * @param tbpttLength       the truncated-BPTT length, 0 for standard backprop
     * @param miniBatchAveraged whether gradients are averaged over the minibatch
     * @param freshWeights      whether the weights were freshly initialised when read
     * @param identicalUnits    the layers whose units had identical incoming weights
     */
    public NetworkFacts(List<LayerFacts> layers, String lossFunction, String outputActivation, int tbpttLength,
                        boolean miniBatchAveraged, boolean freshWeights, List<String> identicalUnits) {
        this(layers, lossFunction, outputActivation, tbpttLength, miniBatchAveraged, freshWeights, identicalUnits,
                0);
    }

    /**
     * @param size the minibatch size the monitors saw
     * @return these facts with that minibatch size
     */
    public NetworkFacts withMinibatch(int size) {
        return new NetworkFacts(layers, lossFunction, outputActivation, tbpttLength, miniBatchAveraged, freshWeights,
                identicalUnits, size);
    }

    /**
     * The step size the typical updater takes per unit of averaged gradient: its rate, times the minibatch size when
     * gradients are summed ({@code miniBatch(false)}). Adaptive updaters normalise the gradient, so only their rate
     * counts. Momentum is judged on its own ({@code UpdatePath.HIGH_MOMENTUM}, the checklist's effective step).
     *
     * @return the effective rate, empty without an updater with a rate
     */
    public OptionalDouble effectiveLearningRate() {
        return typicalUpdater().map(l -> {
            double lr = l.learningRate().getAsDouble();
            double summed = miniBatchAveraged || FixAdvisor.adaptive(l.updater()) ? 1 : Math.max(1, minibatch);
            return OptionalDouble.of(lr * summed);
        }).orElse(OptionalDouble.empty());
    }

    /**
     * Facts of a freshly initialised network that averages its minibatches and has no identical units.
     *
     * @param layers           the layers and vertices in topological order
     * @param lossFunction     the output layer's loss function
     * @param outputActivation the output layer's activation
     * @param tbpttLength      the truncated-BPTT length, 0 for standard backprop
     */
    public NetworkFacts(List<LayerFacts> layers, String lossFunction, String outputActivation, int tbpttLength) {
        this(layers, lossFunction, outputActivation, tbpttLength, true, true, List.of());
    }

    /** @return true when some layer computes another function in inference than in training */
    public boolean inferenceDiffers() {
        return layers.stream().anyMatch(l -> l.settings().inferenceDiffers() || l.isBatchNorm()
                || l.dropoutRetain().isPresent());
    }

    /**
     * @return the output layer's number of units (classes for a classifier), 0 when unknown; for a loss layer
     *         without units of its own (DL4J's {@code LossLayer}, as Keras' import writes it) the width of the layer
     *         that feeds it
     */
    public int outputWidth() {
        return layers.stream().filter(LayerFacts::outputLayer).mapToInt(this::widthSeenBy).max().orElse(0);
    }

    private int widthSeenBy(LayerFacts l) {
        LayerFacts at = l;
        for (int hops = 0; at != null && at.settings().width() <= 0 && hops < layers.size(); hops++) {
            at = at.inputs().size() == 1 ? layer(at.inputs().get(0)).orElse(null) : null;
        }
        return at == null ? 0 : Math.max(at.settings().width(), 0);
    }

    /**
     * Facts of a network trained with standard backprop.
     *
     * @param layers           the layers and vertices in topological order
     * @param lossFunction     the output layer's loss function
     * @param outputActivation the output layer's activation
     */
    public NetworkFacts(List<LayerFacts> layers, String lossFunction, String outputActivation) {
        this(layers, lossFunction, outputActivation, 0);
    }

    /** @return the recurrent layers (LSTM, SimpleRnn, Bidirectional, ...), in topological order */
    public List<LayerFacts> recurrent() {
        return layers.stream().filter(LayerFacts::isRecurrent).collect(Collectors.toList());
    }

    /**
     * @return true when an output layer scores every time step ({@code RnnOutputLayer}, {@code RnnLossLayer}): the
     *         labels are sequences, which DL4J's truncated BPTT needs
     */
    public boolean perStepLabels() {
        return layers.stream().anyMatch(l -> l.outputLayer() && (l.type().equals("RnnOutputLayer")
                || l.type().equals("RnnLossLayer")));
    }

    /** @return facts that know nothing: every fix is worded generically, positions are unknown */
    public static NetworkFacts unknown() {
        return new NetworkFacts(List.of(), "", "");
    }

    /**
     * @param name a layer name
     * @return its facts, empty when unknown
     */
    public Optional<LayerFacts> layer(String name) {
        return name == null ? Optional.empty() : layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * @param name a layer name
     * @return its topological position, or -1 when unknown
     */
    public int position(String name) {
        return layer(name).map(LayerFacts::position).orElse(-1);
    }

    /** @return the layers with parameters that training changes */
    public List<LayerFacts> trainable() {
        return layers.stream().filter(LayerFacts::trainable).collect(Collectors.toList());
    }

    /**
     * @param name a layer name
     * @return the layers that take this layer's output as (one of) their inputs
     */
    public List<LayerFacts> consumers(String name) {
        return layers.stream().filter(l -> l.inputs().contains(name)).collect(Collectors.toList());
    }

    /**
     * The updater and learning rate most layers use (the network's "global" updater).
     *
     * @return the updater's name and learning rate, empty when no layer has a learning rate
     */
    public Optional<LayerFacts> typicalUpdater() {
        Map<String, Long> counts = trainable().stream().filter(l -> l.learningRate().isPresent())
                .collect(Collectors.groupingBy(l -> l.updater() + "@" + l.learningRate().getAsDouble(),
                        Collectors.counting()));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue())
                .flatMap(e -> trainable().stream().filter(l -> l.learningRate().isPresent()
                        && (l.updater() + "@" + l.learningRate().getAsDouble()).equals(e.getKey())).findFirst());
    }

    /**
     * @param activation a predicate on the activation name
     * @return the names of trainable, non-output layers whose activation matches
     */
    public List<String> hidden(Function<LayerFacts, Boolean> activation) {
        return trainable().stream().filter(l -> !l.outputLayer() && activation.apply(l)).map(LayerFacts::name)
                .collect(Collectors.toList());
    }

    /** @return the learning rate of the typical updater, empty when there is none */
    public OptionalDouble learningRate() {
        return typicalUpdater().map(LayerFacts::learningRate).orElse(OptionalDouble.empty());
    }
}
