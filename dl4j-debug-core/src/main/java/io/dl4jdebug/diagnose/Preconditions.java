package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * What must be true of the network for a verdict to make sense, written down per symptom and checked before the
 * findings are grouped. A finding whose precondition fails is dismissed with the reason (or, where the measurement
 * still says something true, rewritten into the symptom it does show):
 * <ul>
 *     <li>{@link Symptom#TRAIN_INFERENCE_MISMATCH} needs a layer that computes differently in inference
 *     (BatchNormalization, dropout, noise); without one, the two losses differ because the weights moved during the
 *     epoch: the run is unstable ({@link Symptom#LOSS_OSCILLATING}), not mismatched;</li>
 *     <li>{@link Symptom#INIT_LOSS_UNEXPECTED} needs freshly initialised weights: the loss of a model loaded with
 *     trained weights says nothing about its initialisation;</li>
 *     <li>{@link Symptom#DROPOUT_MISCONFIGURED}, {@link Symptom#BATCHNORM_MISCONFIGURED} and
 *     {@link Symptom#REGULARIZATION_DOMINATES} need dropout, a BatchNormalization layer, an l1/l2/weight-decay term;</li>
 *     <li>{@link Symptom#UNITS_IDENTICAL} needs the layer to be one whose units were measured identical;</li>
 *     <li>{@link Symptom#LEARNING_RATE_TOO_HIGH} and {@link Symptom#LEARNING_RATE_TOO_LOW} on a layer need an updater
 *     with a learning rate.</li>
 * </ul>
 * Per-layer conditions on activations (dead units need an activation that can die, saturation a bounded one) are
 * checked by {@link Reinterpretation}. Networks whose facts are unknown keep every finding. Stateless.
 */
final class Preconditions {

    /**
     * One written-down condition.
     *
     * @param holds  whether the verdict can hold for this finding on this network
     * @param reason why it cannot, when it does not hold
     */
    record Condition(BiPredicate<Finding, NetworkFacts> holds, String reason) {
    }

    /** The conditions, by symptom. */
    static final Map<Symptom, Condition> CONDITIONS = Map.of(
            Symptom.LEARNING_RATE_TOO_HIGH, Preconditions.hasRate(),
            Symptom.LEARNING_RATE_TOO_LOW, Preconditions.hasRate(),
            Symptom.TRAIN_INFERENCE_MISMATCH, new Condition((f, n) -> n.inferenceDiffers(),
                    "no layer of this network computes differently in inference (no BatchNormalization, dropout or "
                            + "noise): the losses differ because the weights moved during the epoch"),
            Symptom.INIT_LOSS_UNEXPECTED, new Condition((f, n) -> n.freshWeights(),
                    "the network was read with trained weights: the loss at the start says nothing about the "
                            + "initialisation"),
            Symptom.DROPOUT_MISCONFIGURED, new Condition((f, n) -> n.layers().stream()
                    .anyMatch(l -> l.dropoutRetain().isPresent() || l.settings().inferenceDiffers()),
                    "the network has no dropout"),
            Symptom.BATCHNORM_MISCONFIGURED, new Condition((f, n) -> n.layers().stream()
                    .anyMatch(LayerFacts::isBatchNorm), "the network has no BatchNormalization layer"),
            Symptom.REGULARIZATION_DOMINATES, new Condition((f, n) -> n.layers().stream().anyMatch(l -> l.l2() > 0
                    || l.settings().l1() > 0 || l.settings().weightDecay() > 0),
                    "the network has no l1, l2 or weight-decay term"),
            Symptom.UNITS_IDENTICAL, new Condition((f, n) -> f.layerName().map(n.identicalUnits()::contains)
                    .orElse(false), "the layer's units were not measured identical"));

    private Preconditions() {
    }

    /** A rate verdict on a layer needs an updater with a learning rate (AdaDelta and NoOp have none). */
    private static Condition hasRate() {
        return new Condition((f, n) -> f.layerName().flatMap(n::layer).map(l -> l.learningRate().isPresent()
                || l.updater().isEmpty()).orElse(true), "the layer's updater has no learning rate (AdaDelta, NoOp): "
                + "its update:parameter ratio is not set by a rate");
    }

    /**
     * @param findings  the raw findings
     * @param facts     the network's configuration
     * @param dismissed receives the findings whose verdict cannot hold, with the reason
     * @return the findings kept (some rewritten into the symptom they do show)
     */
    static List<Finding> apply(List<Finding> findings, NetworkFacts facts, List<Dismissal> dismissed) {
        if (facts.layers().isEmpty()) {
            return findings;
        }
        List<Finding> kept = new ArrayList<>();
        for (Finding f : findings) {
            Condition c = CONDITIONS.get(f.symptom());
            if (c == null || c.holds().test(f, facts)) {
                kept.add(f);
                continue;
            }
            dismissed.add(new Dismissal(f, c.reason()));
            rewrite(f).ifPresent(kept::add);
        }
        return kept;
    }

    /** @return what a dismissed finding still shows: an unstable run for a mismatch that cannot be one */
    private static Optional<Finding> rewrite(Finding f) {
        if (f.symptom() != Symptom.TRAIN_INFERENCE_MISMATCH) {
            return Optional.empty();
        }
        double inference = f.evidence().getOrDefault("inferenceModeLoss", Double.NaN);
        double training = f.evidence().getOrDefault("trainingModeLoss", Double.NaN);
        return Optional.of(Finding.builder(Symptom.LOSS_OSCILLATING, Severity.WARN, String.format(Locale.ROOT,
                        "unstable run: the training data score %.4g with the weights at the end of the epoch but "
                                + "%.4g on average during it: the steps move the weights away from where the loss was "
                                + "low", inference, training))
                .firstIteration(f.firstIteration()).evidence(f.evidence())
                .suggest("lower the learning rate, or clip the gradients")
                .build());
    }
}
