package io.dl4jdebug.diagnose;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Walks the path a parameter's value takes from its raw gradient to its update, station by station, and names the
 * first station that explains a step of the wrong size (STYLE: "the responsible setting"). In DL4J 1.0.0-M2.1:
 * raw gradient (summed over the minibatch) → {@code miniBatch} averaging → l1/l2 → gradient normalization (type,
 * threshold) → updater (the rate its {@code ISchedule} gives at this iteration or epoch, momentum, betas, epsilon) →
 * applied update. Each method returns the remedy for the first station that is wrong, or empty when every station
 * looks right (the rate itself is then the suspect, which the caller words). Stateless.
 */
final class UpdatePath {

    /** A schedule that brought the rate below this share of its starting value has decayed it to nothing. */
    static final double DECAYED = 0.01;
    /** A norm clip this many times below the averaged gradient's norm shrinks every step by as much. */
    static final double CLIP_SHRINKS = 10;
    /** Adaptive updaters' epsilon above this dominates the denominator sqrt(v) + epsilon for ordinary gradients. */
    static final double LARGE_EPSILON = 1e-3;
    /** Adam-family beta2 below this averages fewer than ten squared gradients: steps of about the full rate. */
    static final double LOW_BETA2 = 0.9;
    /** Rate x penalty coefficient at or above this: the penalty alone moves a weight by 5 % of itself per step. */
    static final double PENALTY_STEP = 0.05;
    /** A momentum at or above this keeps adding past steps: the run overshoots and swings. */
    static final double HIGH_MOMENTUM = 0.99;

    private UpdatePath() {
    }

    /**
     * The station that makes steps too small although the gradient is not zero: a schedule decayed to nothing,
     * a clipping threshold far below the gradient, an epsilon that dominates the adaptive denominator.
     *
     * @param root  the incident's root (its worst finding carries the iteration, epoch, gradient norm, minibatch)
     * @param facts the network's configuration
     * @return the remedy for that station, empty when none explains the small steps
     */
    static Optional<Remedy> tooSmall(SymptomGroup root, NetworkFacts facts) {
        Finding worst = root.worst();
        Optional<LayerFacts> layer = facts.layer(worst.layer()).or(facts::typicalUpdater);
        if (layer.isEmpty()) {
            return Optional.empty();
        }
        LayerFacts l = layer.get();
        LayerSettings s = l.settings();
        // The rate applied when the small steps were seen: the latest measured finding of the group tells (a
        // configuration finding carries iteration 0, when no schedule has acted yet).
        Finding seen = latest(root);
        long iteration = seen.firstIteration();
        int epoch = epochOf(seen);
        OptionalDouble applied = s.rateAt(iteration, epoch);
        if (applied.isPresent() && l.learningRate().isPresent()
                && applied.getAsDouble() < DECAYED * l.learningRate().getAsDouble()) {
            double start = l.learningRate().getAsDouble();
            return Optional.of(new Remedy(Remedy.Kind.REMOVE_SCHEDULE, List.of(), start, "", String.format(
                    Locale.ROOT, "learning-rate schedule: %s brought the rate from %s to %s by iteration %d (epoch "
                            + "%d); use a schedule that keeps it near %s (or new %s(%s) without a schedule)",
                    s.schedule(), FixAdvisor.num(start), FixAdvisor.num(applied.getAsDouble()), iteration, epoch,
                    FixAdvisor.num(start), l.updater(), FixAdvisor.num(start))));
        }
        Optional<Remedy> clip = clipTooTight(l, worst, facts);
        if (clip.isPresent()) {
            return clip;
        }
        OptionalDouble eps = s.updaterParameter("epsilon");
        if (eps.isPresent() && eps.getAsDouble() >= LARGE_EPSILON && FixAdvisor.adaptive(l.updater())) {
            double usual = l.updater().toLowerCase(Locale.ROOT).contains("adagrad") ? 1e-6 : 1e-8;
            return Optional.of(new Remedy(Remedy.Kind.SET_UPDATER_PARAMETER, List.of(), usual, "epsilon",
                    String.format(Locale.ROOT, "%s epsilon %s instead of %s: an epsilon that large outweighs "
                                    + "sqrt(v) in the step rate * m / (sqrt(v) + epsilon) and shrinks every step",
                            l.updater(), FixAdvisor.num(usual), FixAdvisor.num(eps.getAsDouble()))));
        }
        return Optional.empty();
    }

    /**
     * The station that makes steps too large before the rate is reached: summed instead of averaged minibatch
     * gradients, a momentum that keeps adding past steps, a schedule that raised the rate far above its start.
     *
     * @param root  the incident's root
     * @param facts the network's configuration
     * @return the remedy for that station, empty when none explains the large steps
     */
    static Optional<Remedy> tooLarge(SymptomGroup root, NetworkFacts facts) {
        if (!facts.miniBatchAveraged() && !facts.layers().isEmpty()) {
            return Optional.of(new Remedy(Remedy.Kind.AVERAGE_MINIBATCH, List.of(), 1, "", ".miniBatch(true) on the "
                    + "network's builder instead of .miniBatch(false): the gradients are summed over the minibatch, "
                    + "so every step is minibatch-size times larger than the rate says"));
        }
        Optional<LayerFacts> typical = facts.typicalUpdater();
        if (typical.isEmpty()) {
            return Optional.empty();
        }
        LayerFacts l = typical.get();
        LayerSettings s = l.settings();
        for (String name : List.of("momentum", "beta1")) {
            OptionalDouble m = s.updaterParameter(name);
            if (m.isPresent() && m.getAsDouble() >= HIGH_MOMENTUM) {
                return Optional.of(new Remedy(Remedy.Kind.SET_UPDATER_PARAMETER, List.of(), 0.9, name,
                        String.format(Locale.ROOT, "%s %s 0.9 instead of %s: the velocity keeps almost every past "
                                        + "step, so the steps add up and overshoot", l.updater(), name,
                                FixAdvisor.num(m.getAsDouble()))));
            }
        }
        OptionalDouble beta2 = s.updaterParameter("beta2");
        if (beta2.isPresent() && beta2.getAsDouble() < LOW_BETA2 && FixAdvisor.adaptive(l.updater())) {
            return Optional.of(new Remedy(Remedy.Kind.SET_UPDATER_PARAMETER, List.of(), 0.999, "beta2",
                    String.format(Locale.ROOT, "%s beta2 0.999 instead of %s: the second-moment estimate then "
                                    + "averages about a thousand steps; at %s it follows the current gradient, so every "
                                    + "element steps by about the full rate", l.updater(),
                            FixAdvisor.num(beta2.getAsDouble()), FixAdvisor.num(beta2.getAsDouble()))));
        }
        // The schedule's highest rate up to the latest measured finding: a schedule that raised the rate acted before
        // the steps grew, whichever iteration the group's first finding carries.
        Finding seen = latest(root);
        OptionalDouble peak = s.peakRate(seen.firstIteration(), epochOf(seen));
        if (peak.isPresent() && l.learningRate().isPresent()
                && peak.getAsDouble() > 10 * l.learningRate().getAsDouble()) {
            double start = l.learningRate().getAsDouble();
            return Optional.of(new Remedy(Remedy.Kind.REMOVE_SCHEDULE, List.of(), start, "", String.format(
                    Locale.ROOT, "learning-rate schedule: %s raised the rate from %s to %s by iteration %d; keep it "
                            + "near %s", s.schedule(), FixAdvisor.num(start), FixAdvisor.num(peak.getAsDouble()),
                    seen.firstIteration(), FixAdvisor.num(start))));
        }
        return regularizationSteps(root, facts);
    }

    /**
     * The l1/l2 station: with plain SGD (and any updater for decoupled weight decay) the penalty alone moves each
     * weight by rate x coefficient of itself per step, so a product at or above {@link #PENALTY_STEP} makes the
     * update:param ratio high whatever the gradient.
     */
    private static Optional<Remedy> regularizationSteps(SymptomGroup root, NetworkFacts facts) {
        List<LayerFacts> heavy = facts.trainable().stream()
                .filter(x -> root.layers().isEmpty() || root.layers().contains(x.name()))
                .filter(x -> x.learningRate().isPresent()).filter(x -> {
                    double lr = x.learningRate().getAsDouble();
                    double l2 = FixAdvisor.adaptive(x.updater()) ? 0 : x.l2();
                    return lr * Math.max(l2, x.settings().weightDecay()) >= PENALTY_STEP;
                }).toList();
        if (heavy.isEmpty()) {
            return Optional.empty();
        }
        LayerFacts h = heavy.get(0);
        boolean decay = h.settings().weightDecay() > h.l2();
        double c = decay ? h.settings().weightDecay() : h.l2();
        double target = Math.min(1e-4, c / 100);
        String kind = decay ? "weightDecay" : "l2";
        String names = String.join(", ", heavy.stream().map(LayerFacts::name).toList());
        String text = String.format(Locale.ROOT, "%s: .%s(%s) instead of .%s(%s): rate %s x %s shrinks every weight by "
                        + "%.0f%% per step before the gradient acts", names, kind, FixAdvisor.num(target), kind,
                FixAdvisor.num(c), FixAdvisor.num(h.learningRate().getAsDouble()), FixAdvisor.num(c),
                100 * h.learningRate().getAsDouble() * c);
        List<String> layers = heavy.stream().map(LayerFacts::name).toList();
        return Optional.of(decay ? new Remedy(Remedy.Kind.SET_REGULARIZATION, layers, target, "weightDecay", text)
                : new Remedy(Remedy.Kind.SET_L2, layers, target, "", text));
    }

    /** @return the group's latest finding: the one that tells the settings in force when the symptom was seen */
    private static Finding latest(SymptomGroup root) {
        return root.findings().stream().max(java.util.Comparator.comparingLong(Finding::firstIteration))
                .orElse(root.worst());
    }

    /** @return the epoch a measured finding was seen in (its evidence), 0 for a finding read from the configuration */
    private static int epochOf(Finding f) {
        return (int) (double) f.evidence().getOrDefault("epoch", 0.0);
    }

    private static Optional<Remedy> clipTooTight(LayerFacts l, Finding worst, NetworkFacts facts) {
        if (!l.clipped()) {
            return Optional.empty();
        }
        String type = l.clipping();
        double t = l.settings().clipThreshold();
        boolean norm = type.startsWith("ClipL2");
        boolean elementWise = type.equals("ClipElementWiseAbsoluteValue");
        Double raw = worst.evidence().get("gradientNorm");
        double batch = worst.evidence().getOrDefault("minibatch", 1.0);
        double averaged = raw == null ? Double.NaN : raw / (facts.miniBatchAveraged() ? Math.max(batch, 1) : 1);
        boolean tight = (norm && Double.isFinite(averaged) && averaged > CLIP_SHRINKS * t)
                || (elementWise && t <= 1e-3);
        if (!tight || t <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Remedy(Remedy.Kind.CLIP_GRADIENTS, List.of(), 1.0, type, String.format(Locale.ROOT,
                ".gradientNormalizationThreshold(1.0) instead of %s with threshold %s%s: the clip shrinks every "
                        + "step far below what the rate says", type, FixAdvisor.num(t),
                Double.isFinite(averaged) ? String.format(Locale.ROOT, " (the averaged gradient's norm is %s)",
                        FixAdvisor.num(averaged)) : "")));
    }
}
