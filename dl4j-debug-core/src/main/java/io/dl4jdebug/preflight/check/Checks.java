package io.dl4jdebug.preflight.check;

import java.util.List;

/** The registry of the quick checklist's items: one line per check, in the order they run and are reported. */
public final class Checks {

    private Checks() {
    }

    /** @return the default checks, in run order (env.backend runs before them, in the checklist itself) */
    public static List<ChecklistCheck> defaults() {
        return List.of(
                new DataLoadsCheck(),
                new DataFiniteCheck(),
                new DataScaleCheck(),
                new LabelsValidCheck(),
                new LabelsBalanceCheck(),
                new DataLeakageCheck(),
                new ForwardCheck(),
                new LossOutputFitCheck(),
                new InitLossCheck(),
                new GradientsReachParametersCheck(),
                new ParametersUpdateCheck(),
                new DropoutCheck(),
                new BatchNormCheck(),
                new LearningRateCheck(),
                new SeedCheck(),
                new DeterminismCheck());
    }
}
