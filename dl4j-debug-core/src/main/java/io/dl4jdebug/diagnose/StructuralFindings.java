package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Findings measured on the network itself rather than by a monitor: units of a layer that are copies of each other
 * ({@link Symptom#UNITS_IDENTICAL}, measured when the facts were read), a softmax on a hidden layer (a
 * {@link Symptom#VANISHING_GRADIENT}: its slope is at most about 1 / width), and a hidden layer too narrow for a
 * softmax classifier ({@link Symptom#LAYER_TOO_NARROW}). With C classes the logits are an affine function of the last
 * representation, so every layer on the path must keep at least C - 1 dimensions for the network to be able to
 * express arbitrary class scores; a narrower layer caps what it can fit. That bound is a property of the
 * configuration, so it is loud only when the run also shows it: the loss stayed above half its first value (the
 * same holds for the hidden softmax).
 * Stateless.
 */
final class StructuralFindings {

    /** A run that kept more than this share of its first loss learned too little to wave a bottleneck through. */
    static final double KEPT_LOSS = 0.5;

    private StructuralFindings() {
    }

    /**
     * @param facts the network's configuration
     * @param loss  the training loss curve
     * @return the structural findings
     */
    static List<Finding> of(NetworkFacts facts, LossSummary loss) {
        List<Finding> found = new ArrayList<>();
        for (String layer : facts.identicalUnits()) {
            int width = facts.layer(layer).map(l -> l.settings().width()).orElse(0);
            found.add(Finding.builder(Symptom.UNITS_IDENTICAL, Severity.ERROR, String.format(Locale.ROOT,
                            "the %sunits of %s have identical incoming weights: each gets the same gradient, so the "
                                    + "layer acts as one unit", width > 0 ? width + " " : "", layer))
                    .layer(layer).firstIteration(0).evidence("units", width)
                    .suggest(layer + ": a random weight init (.weightInit(WeightInit.XAVIER) or RELU) instead of a "
                            + "constant one")
                    .build());
        }
        boolean learnedLittle = loss.measured() && loss.last() > KEPT_LOSS * loss.first();
        for (LayerFacts l : facts.trainable()) {
            int w = l.settings().width();
            if (!l.outputLayer() && w > 1 && l.activationName().contains("softmax") && !scoredDirectly(l, facts)) {
                found.add(Finding.builder(Symptom.VANISHING_GRADIENT, learnedLittle ? Severity.WARN
                                : Severity.INFO, String.format(Locale.ROOT, "hidden layer %s uses softmax: its %d "
                                        + "outputs share a sum of 1 (about %.2g each) and its slope is at most about "
                                        + "1/%d, so the gradient to the layers below shrinks about %dx here", l.name(),
                                w, 1.0 / w, w, w))
                        .layer(l.name()).firstIteration(0).evidence("units", w)
                        .suggest(l.name() + ": .activation(Activation.RELU) (softmax belongs on the output layer)")
                        .build());
            }
        }
        for (LayerFacts out : facts.layers()) {
            squashedLogits(out, facts).ifPresent(found::add);
        }
        int classes = facts.outputWidth();
        boolean softmax = facts.outputActivation().toLowerCase(Locale.ROOT).contains("softmax");
        boolean chain = facts.layers().stream().allMatch(l -> l.inputs().size() <= 1);
        if (classes >= 3 && softmax && chain) {
            for (LayerFacts l : facts.trainable()) {
                int w = l.settings().width();
                if (!l.outputLayer() && l.widthBoundsOutput() && w > 0 && w < classes - 1) {
                    found.add(Finding.builder(Symptom.LAYER_TOO_NARROW, learnedLittle ? Severity.WARN : Severity.INFO,
                                    String.format(Locale.ROOT, "%s has %d units for %d classes: the class scores can "
                                            + "span at most %d dimensions, fewer than the %d they need", l.name(), w,
                                            classes, w, classes - 1))
                            .layer(l.name()).firstIteration(0).evidence("units", w).evidence("classes", classes)
                            .evidence("lossKept", loss.measured() && loss.first() > 0 ? loss.last() / loss.first() : 0)
                            .suggest(l.name() + ": .nOut(" + Math.max(classes * 4, 32) + ") or wider")
                            .build());
                }
            }
        }
        return found;
    }

    /**
     * @return true when the layer feeds an output layer without parameters (a {@code LossLayer}): the loss scores
     *         its outputs, so it is the network's output in all but name
     */
    private static boolean scoredDirectly(LayerFacts l, NetworkFacts facts) {
        return facts.layers().stream().anyMatch(o -> o.outputLayer() && !o.trainable()
                && o.inputs().contains(l.name()));
    }

    /**
     * A loss layer without parameters whose softmax or sigmoid squashes the output of a layer that is itself bounded
     * (tanh, sigmoid, softsign, softmax): its logits lie in [lo, hi], so the largest probability the output can give a
     * class is e^hi / (e^hi + (C - 1) e^lo) (sigmoid: 1 / (1 + e^-hi)) and the loss can never go below minus its log.
     */
    private static java.util.Optional<Finding> squashedLogits(LayerFacts out, NetworkFacts facts) {
        String squash = out.activationName();
        if (!out.outputLayer() || out.trainable() || out.inputs().size() != 1
                || !(squash.contains("softmax") || squash.contains("sigmoid"))) {
            return java.util.Optional.empty();
        }
        LayerFacts in = facts.layer(out.inputs().get(0)).orElse(null);
        if (in == null || !in.canSaturate()) {
            return java.util.Optional.empty();
        }
        String a = in.activationName();
        double lo = a.contains("tanh") || a.startsWith("softsign") ? -1 : 0;
        double hi = 1;
        int c = Math.max(2, in.settings().width());
        double best = squash.contains("softmax") ? Math.exp(hi) / (Math.exp(hi) + (c - 1) * Math.exp(lo))
                : 1 / (1 + Math.exp(-hi));
        double floor = -Math.log(best);
        return java.util.Optional.of(Finding.builder(Symptom.LOSS_OUTPUT_MISMATCH, Severity.WARN, String.format(
                        Locale.ROOT, "loss layer %s applies %s to the output of %s, which %s bounds to [%s, %s]: the "
                                + "largest probability it can give a class is %.2f, so the loss never goes below %.2f "
                                + "per example", out.name(), squash, in.name(), in.activation(), FixAdvisor.num(lo),
                        FixAdvisor.num(hi), best, floor))
                .layer(in.name()).firstIteration(0).evidence("lossFloor", floor).evidence("units", c)
                .suggest(in.name() + ": .activation(Activation.IDENTITY): the loss layer's " + squash
                        + " needs unbounded logits")
                .build());
    }
}
