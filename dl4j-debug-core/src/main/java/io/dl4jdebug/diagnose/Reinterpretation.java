package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks raw findings against what the layer can do, before they are grouped: "dead units" are judged only where
 * the activation can die (an all-zero BatchNormalization or identity output is a collapse, not dead ReLUs),
 * saturation only where the activation is bounded, and a bias right before BatchNormalization, whose gradient is zero
 * by construction (BatchNorm subtracts the per-channel mean), is not a vanishing gradient but one
 * {@link Symptom#REDUNDANT_PARAMETER} note. Stateless.
 */
final class Reinterpretation {

    private static final Set<Symptom> BIAS_SYMPTOMS = EnumSet.of(Symptom.VANISHING_GRADIENT,
            Symptom.WEIGHTS_NOT_UPDATING, Symptom.LEARNING_RATE_TOO_LOW, Symptom.GRADIENT_MISSING);

    private Reinterpretation() {
    }

    static List<Finding> apply(List<Finding> findings, NetworkFacts facts, List<Dismissal> dismissed) {
        List<Finding> kept = new ArrayList<>();
        Set<String> redundant = new LinkedHashSet<>();
        long firstRedundant = Long.MAX_VALUE;
        for (Finding f : findings) {
            Optional<LayerFacts> layer = facts.layer(f.layer());
            if (layer.isEmpty()) {
                kept.add(f);
                continue;
            }
            LayerFacts l = layer.get();
            if (f.symptom() == Symptom.DEAD_UNITS && !l.canDie()) {
                String a = l.activationName();
                if (a.equals("none") || a.startsWith("identity") || a.startsWith("linear")) {
                    kept.add(collapse(f, l));
                    dismissed.add(new Dismissal(f, "layer " + l.name() + " (" + l.type() + ", activation " + a
                            + ") has no ReLU that can die: its all-zero output is reported as ACTIVATION_COLLAPSE"));
                } else {
                    dismissed.add(new Dismissal(f, "layer " + l.name() + " has activation " + a
                            + ", which cannot die"));
                }
            } else if (f.symptom() == Symptom.SATURATED_ACTIVATIONS && !l.canSaturate()) {
                dismissed.add(new Dismissal(f, "layer " + l.name() + " has activation " + l.activationName()
                        + ", which has no bound to saturate against"));
            } else if (BIAS_SYMPTOMS.contains(f.symptom()) && "b".equals(f.parameter()) && beforeBatchNorm(l, facts)) {
                redundant.add(l.name());
                firstRedundant = Math.min(firstRedundant, f.firstIteration());
                dismissed.add(new Dismissal(f, "the bias of " + l.name() + " feeds BatchNormalization, which "
                        + "subtracts the per-channel mean: its gradient is zero by construction"));
            } else {
                kept.add(f);
            }
        }
        if (!redundant.isEmpty()) {
            List<String> names = new ArrayList<>(redundant);
            kept.add(Finding.builder(Symptom.REDUNDANT_PARAMETER, Severity.INFO, String.format(Locale.ROOT,
                            "the bias of %s is redundant: BatchNormalization right after it subtracts the "
                                    + "per-channel mean, so its gradient is zero by construction (harmless)",
                            String.join(", ", names)))
                    .layer(names.get(0)).parameter("b").firstIteration(firstRedundant)
                    .evidence("layers", names.size())
                    .suggest(String.join(", ", names) + ": .hasBias(false) (the BatchNormalization's beta is the "
                            + "bias)")
                    .build());
        }
        return kept;
    }

    private static boolean beforeBatchNorm(LayerFacts l, NetworkFacts facts) {
        List<LayerFacts> consumers = facts.consumers(l.name());
        return !consumers.isEmpty() && consumers.stream().allMatch(LayerFacts::isBatchNorm)
                && (l.activationName().startsWith("identity") || l.activationName().equals("none"));
    }

    private static Finding collapse(Finding dead, LayerFacts l) {
        return Finding.builder(Symptom.ACTIVATION_COLLAPSE, Severity.ERROR, String.format(Locale.ROOT,
                        "output of layer %s (%s, no ReLU) is exactly zero for every example on %s of its units: "
                                + "the signal collapsed there", l.name(), l.type(),
                        dead.evidence().containsKey("deadFraction")
                                ? String.format(Locale.ROOT, "%.0f%%", 100 * dead.evidence().get("deadFraction"))
                                : "most"))
                .layer(l.name()).firstIteration(dead.firstIteration()).evidence(dead.evidence())
                .build();
    }
}
