package io.dl4jdebug.diagnose;

import io.dl4jdebug.measure.NonFiniteEvent;

/**
 * Turns a non-finite event (from the {@code NonFiniteDetector} or a layer wrapper) into a finding with fixes that fit
 * the pass and the kind: {@code DATA_NON_FINITE} for the network input, {@code NON_FINITE} otherwise. Stateless.
 */
public final class NonFiniteFindings {

    private NonFiniteFindings() {
    }

    /**
     * @param e the event
     * @return an ERROR finding at the event's layer, iteration and worker, evidence: counts and the pass
     */
    public static Finding of(NonFiniteEvent e) {
        return withoutWorker(e).withWorker(e.worker());
    }

    private static Finding withoutWorker(NonFiniteEvent e) {
        if (e.kind() == NonFiniteEvent.Kind.INPUT) {
            return Finding.builder(Symptom.DATA_NON_FINITE, Severity.ERROR, e.describe())
                    .layer(e.layer()).firstIteration(e.iteration())
                    .evidence("nonFiniteValues", e.count()).evidence("values", e.total())
                    .suggest("remove or impute NaN/Inf in the features before training (check the data pipeline)",
                            "check normalisers: NormalizerStandardize divides by a zero std for constant features")
                    .build();
        }
        Finding.Builder b = Finding.builder(Symptom.NON_FINITE, Severity.ERROR, e.describe())
                .layer(e.layer()).parameter(e.parameter()).firstIteration(e.iteration())
                .evidence("nonFiniteValues", e.count()).evidence("values", e.total())
                .evidence("backwardPass", e.pass() == NonFiniteEvent.Pass.BACKWARD ? 1 : 0);
        switch (e.kind()) {
            case ACTIVATION -> b.suggest("layer '" + e.layer() + "' overflowed or hit an undefined value (log, sqrt "
                            + "or division of a value out of range) from a finite input: check its activation and "
                            + "its weights' scale",
                    "normalise the inputs (NormalizerStandardize) and lower the learning rate, e.g. "
                            + ".updater(new Adam(1e-4))",
                    "clip gradients: .gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                            + ".gradientNormalizationThreshold(1.0)");
            case LAYER_INPUT -> b.suggest("the value reached layer '" + e.layer() + "' from something that is not "
                            + "wrapped: check the features for NaN/Inf, the input preprocessor and graph vertices "
                            + "(merge, element-wise add) feeding it",
                    "wrap more layers, or add a NonFiniteDetector to check the network input");
            case OUTPUT_GRADIENT -> b.suggest("the gradient arriving at layer '" + e.layer() + "' was already "
                            + "non-finite: check the loss and the output layer (log of 0 in a custom loss, labels "
                            + "out of range) or the graph vertex above it",
                    "for softmax + cross-entropy use LossMCXENT with Activation.SOFTMAX (DL4J fuses them stably)");
            case INPUT_GRADIENT, GRADIENT -> b.suggest("layer '" + e.layer() + "' turned a finite dL/d(output) into "
                            + "a non-finite gradient: check its activation's derivative where it is undefined "
                            + "(sqrt or log at 0, pow with a negative base) and clamp the input, e.g. sqrt(x + 1e-8)",
                    "clip gradients: .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)"
                            + ".gradientNormalizationThreshold(1.0)",
                    "lower the learning rate, e.g. .updater(new Adam(1e-4))");
            default -> b.suggest("lower the learning rate, e.g. .updater(new Adam(1e-4))",
                    ".gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(1.0)",
                    "normalise the inputs (NormalizerStandardize) and check them for extreme values",
                    "to find the ND4J op: Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode"
                            + ".ANY_PANIC) (slow; debugging only)");
        }
        return b.build();
    }
}
