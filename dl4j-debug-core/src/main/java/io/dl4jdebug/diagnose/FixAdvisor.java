package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Words the fix of an incident from the network's own configuration: it names the layers and the DL4J builder call,
 * states the value it replaces, and never proposes what the network already has (ReLU to a ReLU network, bias 0 when
 * biases are 0, clipping when clipping is set). Returns {@link Remedy remedies} (changes that can be tried on a
 * copy), best first, and advice for what cannot be applied automatically. Stateless.
 */
public final class FixAdvisor {

    /** Learning rates above this are far too high for adaptive updaters (Adam and relatives). */
    static final double HIGH_ADAPTIVE_RATE = 0.01;

    private FixAdvisor() {
    }

    /**
     * The fix of one root cause.
     *
     * @param root  the incident's root group
     * @param facts the network's configuration
     * @return remedies (best first) and advice
     */
    public static Advice advise(SymptomGroup root, NetworkFacts facts) {
        Advice a = new Advice();
        switch (root.symptom()) {
            case LEARNING_RATE_TOO_HIGH, LOSS_DIVERGING, LOSS_OSCILLATING -> {
                UpdatePath.tooLarge(root, facts).ifPresent(a.remedies::add);
                lowerRate(a, facts);
                clip(a, facts);
            }
            case NON_FINITE -> {
                UpdatePath.tooLarge(root, facts).ifPresent(a.remedies::add);
                if (rateLooksHigh(facts)) {
                    lowerRate(a, facts);
                }
                largeInit(a, facts);
                clip(a, facts);
                if (!rateLooksHigh(facts)) {
                    lowerRate(a, facts);
                }
                a.advice.add(root.worst().suggestions().isEmpty() ? "check the layer named above for log, sqrt or "
                        + "division of out-of-range values" : root.worst().suggestions().get(0));
            }
            case EXPLODING_GRADIENT -> {
                UpdatePath.tooLarge(root, facts).ifPresent(a.remedies::add);
                if (facts.recurrent().isEmpty()) {
                    largeInit(a, facts);
                    clip(a, facts);
                    lowerRate(a, facts);
                } else {
                    // The classic recurrent case: an explicitly large init is the likely cause (and is offered only
                    // then); clipping is DL4J's guard for recurrent nets, then smaller steps, shorter backprop.
                    largeInit(a, facts);
                    clip(a, facts);
                    lowerRate(a, facts);
                    truncateBptt(a, facts);
                }
            }
            case DEAD_UNITS -> deadUnits(a, root, facts);
            case SATURATED_ACTIVATIONS, VANISHING_GRADIENT, ACTIVATION_COLLAPSE -> saturating(a, root, facts);
            case BATCHNORM_MISCONFIGURED -> {
                batchOfOne(a, root);
                batchNorm(a, facts);
            }
            case TRAIN_INFERENCE_MISMATCH -> trainInference(a, facts);
            case DROPOUT_MISCONFIGURED -> dropout(a, facts);
            case REGULARIZATION_DOMINATES -> l2(a, facts);
            case LOSS_OUTPUT_MISMATCH -> outputPair(a, root, facts);
            case DATA_UNNORMALIZED -> a.remedies.add(new Remedy(Remedy.Kind.NORMALIZE_INPUT, List.of(), 0, "",
                    "standardise the features: NormalizerStandardize fitted on the training data and set as the "
                            + "iterators' pre-processor (or ImagePreProcessingScaler(0, 1) for pixels)"));
            case LEARNING_RATE_TOO_LOW -> {
                notUpdating(a, root, facts);
                if (a.remedies.isEmpty()) {
                    UpdatePath.tooSmall(root, facts).ifPresent(a.remedies::add);
                }
                if (a.remedies.isEmpty()) {
                    raiseRate(a, root, facts);
                }
            }
            case WEIGHTS_NOT_UPDATING -> {
                notUpdating(a, root, facts);
                if (a.remedies.isEmpty()) {
                    UpdatePath.tooSmall(root, facts).ifPresent(a.remedies::add);
                }
            }
            case UNITS_IDENTICAL -> identicalUnits(a, root, facts);
            case LAYER_TOO_NARROW -> narrow(a, root, facts);
            default -> {
            }
        }
        if (a.remedies.isEmpty() && a.advice.isEmpty()) {
            a.advice.addAll(root.worst().suggestions());
        }
        return a;
    }

    /** Remedies and advice for one root cause. Not thread safe. */
    public static final class Advice {
        private final List<Remedy> remedies = new ArrayList<>();
        private final List<String> advice = new ArrayList<>();

        /** @return the remedies, best first */
        public List<Remedy> remedies() {
            return List.copyOf(remedies);
        }

        /** @return the advice that cannot be applied automatically */
        public List<String> advice() {
            return List.copyOf(advice);
        }
    }

    /** @return whether the typical updater's effective rate ({@link NetworkFacts#effectiveLearningRate}) is high */
    static boolean rateLooksHigh(NetworkFacts facts) {
        return facts.typicalUpdater().map(l -> facts.effectiveLearningRate().orElse(0) > (adaptive(l.updater())
                ? HIGH_ADAPTIVE_RATE : 0.5)).orElse(false);
    }

    static boolean adaptive(String updater) {
        String u = updater.toLowerCase(Locale.ROOT);
        return u.contains("adam") || u.contains("adamax") || u.contains("nadam") || u.contains("amsgrad")
                || u.contains("rmsprop") || u.contains("adagrad") || u.contains("adabelief");
    }

    private static void lowerRate(Advice a, NetworkFacts facts) {
        facts.typicalUpdater().ifPresent(l -> {
            double lr = l.learningRate().getAsDouble();
            double plausible = adaptive(l.updater()) ? 1e-3 : 0.05;
            double factor = lr > 10 * plausible ? plausible / lr : 0.1;
            String text = l.settings().scheduled()
                    ? String.format(Locale.ROOT, "scale the learning-rate schedule of %s by %s (it starts at %s: %s)",
                    l.updater(), num(factor), num(lr), l.settings().schedule())
                    : String.format(Locale.ROOT, ".updater(new %s(%s)) instead of new %s(%s)", l.updater(),
                    num(lr * factor), l.updater(), num(lr));
            a.remedies.add(new Remedy(Remedy.Kind.SCALE_LEARNING_RATE, List.of(), factor, "", text));
        });
    }

    private static void raiseRate(Advice a, SymptomGroup root, NetworkFacts facts) {
        facts.layers().stream().filter(l -> root.layers().contains(l.name())).filter(l -> l.learningRate()
                        .isPresent() && l.learningRate().getAsDouble() > 0).findFirst()
                .or(facts::typicalUpdater).ifPresent(l -> {
            double lr = l.learningRate().getAsDouble();
            double target = adaptive(l.updater()) ? 1e-3 : 0.05;
            double factor = Math.max(10, target / lr);
            a.remedies.add(new Remedy(Remedy.Kind.RAISE_LEARNING_RATE, List.of(), factor, "", String.format(
                    Locale.ROOT, ".updater(new %s(%s)) instead of new %s(%s)", l.updater(), num(lr * factor),
                    l.updater(), num(lr))));
        });
    }

    private static void clip(Advice a, NetworkFacts facts) {
        boolean clipped = facts.trainable().stream().allMatch(LayerFacts::clipped);
        if (!clipped && !facts.trainable().isEmpty()) {
            if (facts.recurrent().isEmpty()) {
                a.remedies.add(new Remedy(Remedy.Kind.CLIP_GRADIENTS, List.of(), 1.0, "",
                        ".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                                + ".gradientNormalizationThreshold(1.0) on the network's builder (no clipping is set "
                                + "now)"));
            } else {
                // DL4J's advice for recurrent networks: clip each gradient value (bounded steps on every weight,
                // recurrent weights RW included), not only the layer's norm.
                a.remedies.add(new Remedy(Remedy.Kind.CLIP_GRADIENTS, List.of(), 1.0,
                        "ClipElementWiseAbsoluteValue", String.format(Locale.ROOT,
                        ".gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)"
                                + ".gradientNormalizationThreshold(1.0) on the network's builder (no clipping is set "
                                + "now; recurrent layers %s; ClipL2PerLayer with the same threshold also works)",
                        join(facts.recurrent()))));
            }
        }
    }

    /** Default truncated-BPTT length proposed for an exploding recurrent network. */
    static final int TBPTT_LENGTH = 20;

    private static void truncateBptt(Advice a, NetworkFacts facts) {
        // DL4J's truncated BPTT needs sequence labels (rank 3): it skips minibatches with other labels.
        if (facts.perStepLabels() && (facts.tbpttLength() == 0 || facts.tbpttLength() > TBPTT_LENGTH)) {
            a.remedies.add(new Remedy(Remedy.Kind.TRUNCATE_BPTT, List.of(), TBPTT_LENGTH, "", String.format(
                    Locale.ROOT, ".backpropType(BackpropType.TruncatedBPTT).tBPTTLength(%d) on the network's list "
                            + "builder instead of %s: the gradient flows back through at most %d steps of %s",
                    TBPTT_LENGTH, facts.tbpttLength() == 0 ? "full backprop through time"
                            : "tBPTTLength(" + facts.tbpttLength() + ")", TBPTT_LENGTH,
                    join(facts.recurrent()))));
        }
    }

    private static void largeInit(Advice a, NetworkFacts facts) {
        List<LayerFacts> large = facts.trainable().stream().filter(l -> looksLarge(l.weightInit())).toList();
        if (!large.isEmpty()) {
            boolean relu = large.stream().allMatch(LayerFacts::canDie);
            String init = relu ? "RELU" : "XAVIER";
            // Recurrent layers: the remedy also resets the recurrent weights' init (weightInitRecurrent), which
            // DL4J otherwise keeps separately.
            String recurrent = large.stream().anyMatch(LayerFacts::isRecurrent)
                    ? " (and .weightInitRecurrent(WeightInit." + init + ") on the recurrent layers)" : "";
            a.remedies.add(new Remedy(Remedy.Kind.SET_WEIGHT_INIT, names(large), 0, init, String.format(
                    Locale.ROOT, "%s: .weightInit(WeightInit.%s)%s instead of %s", join(large), init, recurrent,
                    large.get(0).weightInit())));
        }
    }

    /** @return true for explicit distributions and uniform/normal inits that ignore fan-in */
    static boolean looksLarge(String weightInit) {
        String w = weightInit.toLowerCase(Locale.ROOT);
        return w.contains("distribution") || w.equals("normal") || w.equals("uniform") || w.equals("ones")
                || w.contains("constant");
    }

    /**
     * The loss/output pair that fits the output: sigmoid with binary cross-entropy for one output unit or an
     * independent (multi-label) binary cross-entropy, softmax with multi-class cross-entropy otherwise.
     */
    private static void outputPair(Advice a, SymptomGroup root, NetworkFacts facts) {
        List<LayerFacts> feeding = facts.layers().stream().filter(l -> root.layers().contains(l.name()))
                .filter(l -> !l.outputLayer() && l.canSaturate()).toList();
        if (!feeding.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_ACTIVATION, names(feeding), 0, "IDENTITY", String.format(
                    Locale.ROOT, "%s: .activation(Activation.IDENTITY) instead of %s: the loss layer squashes the "
                            + "logits itself and needs them unbounded", join(feeding), feeding.get(0).activation())));
            return;
        }
        outputPair(a, facts);
    }

    private static void outputPair(Advice a, NetworkFacts facts) {
        String loss = facts.lossFunction().toLowerCase(Locale.ROOT);
        boolean binary = facts.outputWidth() == 1 || (loss.contains("binaryxent") || loss.equals("xent"));
        String activation = binary ? "SIGMOID" : "SOFTMAX";
        String function = binary ? "XENT" : "MCXENT";
        a.remedies.add(new Remedy(Remedy.Kind.SET_OUTPUT_LOSS, List.of(), 0, activation + "/" + function,
                String.format(Locale.ROOT, "output layer: .activation(Activation.%s).lossFunction(LossFunction.%s) "
                                + "instead of %s with %s (%s labels)", activation, function,
                        facts.outputActivation(), facts.lossFunction(), binary ? "0/1" : "one-hot class")));
    }

    private static void identicalUnits(Advice a, SymptomGroup root, NetworkFacts facts) {
        List<LayerFacts> layers = facts.layers().stream().filter(l -> root.layers().contains(l.name())).toList();
        if (layers.isEmpty()) {
            return;
        }
        String init = layers.stream().allMatch(LayerFacts::canDie) ? "RELU" : "XAVIER";
        a.remedies.add(new Remedy(Remedy.Kind.SET_WEIGHT_INIT, names(layers), 0, init, String.format(Locale.ROOT,
                "%s: .weightInit(WeightInit.%s) instead of %s: random weights break the symmetry between units",
                join(layers), init, layers.get(0).weightInit().isEmpty() ? "identical weights"
                        : layers.get(0).weightInit())));
    }

    private static void narrow(Advice a, SymptomGroup root, NetworkFacts facts) {
        List<LayerFacts> layers = facts.layers().stream().filter(l -> root.layers().contains(l.name())).toList();
        int classes = facts.outputWidth();
        if (layers.isEmpty() || classes <= 0) {
            return;
        }
        int width = Math.max(4 * classes, 32);
        a.remedies.add(new Remedy(Remedy.Kind.SET_WIDTH, names(layers), width, "", String.format(Locale.ROOT,
                "%s: .nOut(%d) instead of .nOut(%d): at least %d units for %d classes", join(layers), width,
                layers.get(0).settings().width(), classes - 1, classes)));
    }

    private static void deadUnits(Advice a, SymptomGroup root, NetworkFacts facts) {
        List<LayerFacts> layers = facts.layers().stream().filter(l -> root.layers().contains(l.name())).toList();
        List<LayerFacts> negative = layers.stream()
                .filter(l -> l.biasInit().isPresent() && l.biasInit().getAsDouble() < 0).toList();
        if (!negative.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_BIAS_INIT, names(negative), 0, "", String.format(Locale.ROOT,
                    "%s: .biasInit(0.0) instead of .biasInit(%s): a negative bias switches the ReLUs off",
                    join(negative), num(negative.get(0).biasInit().getAsDouble()))));
        }
        if (rateLooksHigh(facts)) {
            lowerRate(a, facts);
        }
        List<LayerFacts> dying = layers.stream().filter(LayerFacts::canDie).toList();
        if (!dying.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_ACTIVATION, names(dying), 0, "LEAKYRELU", String.format(
                    Locale.ROOT, "%s: .activation(Activation.LEAKYRELU) instead of %s: leaky units keep a gradient "
                            + "below zero", join(dying), dying.get(0).activation())));
        }
        largeInit(a, facts);
        if (!rateLooksHigh(facts)) {
            lowerRate(a, facts);
        }
    }

    private static void saturating(Advice a, SymptomGroup root, NetworkFacts facts) {
        List<LayerFacts> bounded = facts.trainable().stream().filter(l -> !l.outputLayer())
                .filter(LayerFacts::canSaturate).toList();
        List<LayerFacts> zeroGamma = facts.layers().stream().filter(l -> l.gamma().isPresent()
                && l.gamma().getAsDouble() == 0).toList();
        if (!zeroGamma.isEmpty()) {
            batchNorm(a, facts);
        }
        // A saturated recurrent layer: ReLU in a recurrence invites explosion; shrink the initialisation instead.
        boolean recurrentSaturated = bounded.stream().anyMatch(LayerFacts::isRecurrent);
        if (recurrentSaturated) {
            List<LayerFacts> large = bounded.stream().filter(LayerFacts::isRecurrent)
                    .filter(l -> looksLarge(l.weightInit())).toList();
            if (!large.isEmpty()) {
                a.remedies.add(new Remedy(Remedy.Kind.SET_WEIGHT_INIT, names(large), 0, "XAVIER",
                        String.format(Locale.ROOT, "%s: .weightInit(WeightInit.XAVIER).weightInitRecurrent("
                                + "WeightInit.XAVIER) instead of %s: the pre-activations of the recurrence stay in "
                                + "tanh's linear range", join(large),
                                large.get(0).weightInit())));
            }
            bounded = bounded.stream().filter(l -> !l.isRecurrent()).toList();
        }
        // A bias far from 0 shifts every unit's pre-activation by the same amount whatever the input: at |b| >= 2 a
        // sigmoid's or tanh's slope is below a tenth of its maximum before any weight acts.
        List<LayerFacts> shifted = bounded.stream().filter(l -> root.layers().isEmpty()
                        || root.layers().contains(l.name()))
                .filter(l -> l.biasInit().isPresent() && Math.abs(l.biasInit().getAsDouble()) >= SATURATING_BIAS)
                .toList();
        if (!shifted.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_BIAS_INIT, names(shifted), 0, "", String.format(Locale.ROOT,
                    "%s: .biasInit(0.0) instead of .biasInit(%s): the bias alone puts every unit where %s is flat",
                    join(shifted), num(shifted.get(0).biasInit().getAsDouble()), shifted.get(0).activation())));
        }
        // A fixed distribution ignores the fan-in: the init drives the pre-activations out of the linear range (or,
        // too small, shrinks the signal) before the activation's shape matters, so the init is the first station.
        List<LayerFacts> blind = bounded.stream().filter(l -> looksLarge(l.weightInit())).toList();
        if (!blind.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_WEIGHT_INIT, names(blind), 0, "XAVIER", String.format(
                    Locale.ROOT, "%s: .weightInit(WeightInit.XAVIER) instead of %s: an init scaled by the fan-in "
                            + "keeps the pre-activations in %s's sensitive range", join(blind),
                    blind.get(0).weightInit(), blind.get(0).activation())));
        }
        if (!bounded.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_ACTIVATION, names(bounded), 0, "RELU", String.format(
                    Locale.ROOT, "%s: .activation(Activation.RELU).weightInit(WeightInit.RELU) instead of %s: a "
                            + "stack of %d saturating layers shrinks the gradient at every layer", join(bounded),
                    bounded.get(0).activation(), bounded.size())));
        } else if (root.symptom() != Symptom.SATURATED_ACTIVATIONS) {
            if (!recurrentSaturated) {
                largeInit(a, facts);
            }
            boolean hasBn = facts.layers().stream().anyMatch(LayerFacts::isBatchNorm);
            if (!hasBn) {
                a.advice.add("add BatchNormalization after the hidden layers, or residual connections, so that the "
                        + "signal keeps its scale with depth");
            }
        }
        if (root.symptom() == Symptom.SATURATED_ACTIVATIONS) {
            a.remedies.add(new Remedy(Remedy.Kind.NORMALIZE_INPUT, List.of(), 0, "", "standardise the features "
                    + "(NormalizerStandardize) so that the first layer's pre-activations stay small"));
        }
        if (root.symptom() == Symptom.ACTIVATION_COLLAPSE && bounded.isEmpty() && zeroGamma.isEmpty()) {
            a.advice.add("check the data pipeline: are all examples of a minibatch alike (a repeated row, features "
                    + "overwritten by a pre-processor)?");
        }
    }

    private static void batchNorm(Advice a, NetworkFacts facts) {
        List<LayerFacts> zero = facts.layers().stream().filter(l -> l.gamma().isPresent()
                && l.gamma().getAsDouble() == 0).toList();
        if (!zero.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_GAMMA, names(zero), 1.0, "", String.format(Locale.ROOT,
                    "%s: .gamma(1.0) instead of .gamma(0.0)%s (keep gamma 0 only on the last BatchNormalization of "
                            + "a residual branch)", join(zero), zero.stream().anyMatch(LayerFacts::lockGammaBeta)
                            ? " and .lockGammaBeta(false)" : "")));
        }
        List<LayerFacts> largeEps = facts.layers().stream().filter(l -> l.settings().batchNormEps() >= LARGE_BN_EPS)
                .toList();
        if (!largeEps.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_BATCHNORM_EPS, names(largeEps), 1e-5, "", String.format(
                    Locale.ROOT, "%s: .eps(1e-5) (DL4J's default) instead of .eps(%s): an epsilon that large "
                            + "outweighs the variance in (x - mean) / sqrt(variance + eps), so the layer shrinks "
                            + "its output instead of normalising it", join(largeEps),
                    num(largeEps.get(0).settings().batchNormEps()))));
        }
        frozenStatistics(a, facts);
    }

    /**
     * A BatchNormalization epsilon at or above this is no numerical guard any more: activations of a network
     * initialised for its fan-in have variances of about 1 or below, so sqrt(variance + eps) is dominated by eps.
     */
    public static final double LARGE_BN_EPS = 0.1;

    /** BatchNormalization fed minibatches of one example: the minibatch size is the setting to change. */
    private static void batchOfOne(Advice a, SymptomGroup root) {
        boolean one = root.findings().stream().anyMatch(f -> f.evidence().getOrDefault("batchSize", 0.0) == 1.0);
        if (one) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_BATCH_SIZE, List.of(), BATCH_FOR_STATISTICS, "",
                    String.format(Locale.ROOT, "minibatches of %d examples instead of 1: BatchNormalization "
                            + "normalises each activation against the minibatch's statistics, and one example's "
                            + "are its own value", BATCH_FOR_STATISTICS)));
        }
    }

    /** A bias init of at least this magnitude saturates a sigmoid or tanh unit on its own (slope < 1/10 of max). */
    static final double SATURATING_BIAS = 2;

    /** A minibatch size whose mean and variance estimate a layer's statistics well enough for BatchNormalization. */
    static final int BATCH_FOR_STATISTICS = 16;

    private static void frozenStatistics(Advice a, NetworkFacts facts) {
        List<LayerFacts> frozenStats = facts.layers().stream().filter(l -> l.decay().isPresent()
                && l.decay().getAsDouble() >= 0.999).toList();
        if (!frozenStats.isEmpty()) {
            a.remedies.add(new Remedy(Remedy.Kind.SET_BATCHNORM_DECAY, names(frozenStats), 0.9, "", String.format(
                    Locale.ROOT, "%s: .decay(0.9) instead of .decay(%s): the running mean and variance used in "
                            + "inference never follow the data", join(frozenStats),
                    num(frozenStats.get(0).decay().getAsDouble()))));
        }
    }

    private static void trainInference(Advice a, NetworkFacts facts) {
        frozenStatistics(a, facts);
        dropout(a, facts);
    }

    private static void dropout(Advice a, NetworkFacts facts) {
        List<LayerFacts> low = facts.layers().stream().filter(l -> l.dropoutRetain().isPresent()
                && l.dropoutRetain().getAsDouble() < 0.5).toList();
        if (!low.isEmpty()) {
            double p = low.get(0).dropoutRetain().getAsDouble();
            a.remedies.add(new Remedy(Remedy.Kind.SET_DROPOUT, names(low), 1 - p, "", String.format(Locale.ROOT,
                    "%s: .dropOut(%s) instead of .dropOut(%s): DL4J's dropOut(p) is the probability to KEEP a "
                            + "unit", join(low), num(1 - p), num(p))));
        }
    }

    /**
     * Lowers the penalty that dominates: every configured kind (l2, l1, weight decay) is a candidate, the one whose
     * largest coefficient is furthest above the usual 1e-4 first; each goes to min(1e-4, coefficient / 100).
     */
    private static void l2(Advice a, NetworkFacts facts) {
        record Penalty(String kind, java.util.function.ToDoubleFunction<LayerFacts> coefficient) {
        }
        List<Remedy> found = new ArrayList<>();
        for (Penalty p : List.of(new Penalty("l2", LayerFacts::l2), new Penalty("l1", l -> l.settings().l1()),
                new Penalty("weightDecay", l -> l.settings().weightDecay()))) {
            List<LayerFacts> heavy = facts.trainable().stream().filter(l -> p.coefficient().applyAsDouble(l) > 0)
                    .toList();
            if (heavy.isEmpty()) {
                continue;
            }
            double c = heavy.stream().mapToDouble(p.coefficient()).max().orElse(0);
            double target = Math.min(1e-4, c / 100);
            String text = String.format(Locale.ROOT, "%s: .%s(%s) instead of .%s(%s)", join(heavy), p.kind(),
                    num(target), p.kind(), num(c));
            found.add(p.kind().equals("l2") ? new Remedy(Remedy.Kind.SET_L2, names(heavy), target, "", text)
                    : new Remedy(Remedy.Kind.SET_REGULARIZATION, names(heavy), target, p.kind(), text));
        }
        found.sort(java.util.Comparator.comparingDouble((Remedy r) -> -penaltyOf(r, facts)));
        a.remedies.addAll(found);
        if (found.isEmpty()) {
            a.advice.add("lower .l1(...)/.l2(...)/.weightDecay(...): the penalty outweighs the data loss");
        }
    }

    private static double penaltyOf(Remedy r, NetworkFacts facts) {
        return facts.trainable().stream().filter(l -> r.layers().contains(l.name())).mapToDouble(l -> switch (
                r.argument()) {
            case "l1" -> l.settings().l1();
            case "weightDecay" -> l.settings().weightDecay();
            default -> l.l2();
        }).max().orElse(0);
    }

    private static void notUpdating(Advice a, SymptomGroup root, NetworkFacts facts) {
        OptionalDouble typical = facts.learningRate();
        List<LayerFacts> frozen = facts.layers().stream().filter(l -> root.layers().contains(l.name()))
                .filter(l -> l.learningRate().isPresent() && l.learningRate().getAsDouble() == 0).toList();
        if (!frozen.isEmpty() && typical.isPresent() && typical.getAsDouble() > 0) {
            String updater = facts.typicalUpdater().map(LayerFacts::updater).orElse("");
            a.remedies.add(new Remedy(Remedy.Kind.UNFREEZE, names(frozen), typical.getAsDouble(), updater,
                    String.format(Locale.ROOT, "%s: .updater(new %s(%s)) like the other layers instead of a "
                                    + "learning rate of 0 (%s); if the layer is meant to be frozen, wrap it in "
                                    + "FrozenLayerWithBackprop", join(frozen), updater.isEmpty() ? "Sgd" : updater,
                            num(typical.getAsDouble()), frozen.get(0).updater())));
        } else if (root.symptom() == Symptom.WEIGHTS_NOT_UPDATING) {
            a.advice.addAll(root.worst().suggestions());
        }
    }

    private static List<String> names(List<LayerFacts> layers) {
        return layers.stream().map(LayerFacts::name).collect(Collectors.toList());
    }

    private static String join(List<LayerFacts> layers) {
        List<String> n = names(layers);
        return n.size() > 8 ? String.join(", ", n.subList(0, 8)) + " and " + (n.size() - 8) + " more"
                : String.join(", ", n);
    }

    static String num(double v) {
        if (v == 0) {
            return "0.0";
        }
        double abs = Math.abs(v);
        return abs >= 1e-3 && abs < 1e4 ? String.format(Locale.ROOT, "%s", stripZeros(v))
                : String.format(Locale.ROOT, "%.1e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }

    private static String stripZeros(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
