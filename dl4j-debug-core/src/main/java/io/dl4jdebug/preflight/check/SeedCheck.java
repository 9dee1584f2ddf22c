package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.NetworkOps;

import java.util.Map;

/** Checklist item {@code env.seed}: the configuration has a fixed seed, not DL4J's default (the build time). */
final class SeedCheck extends BaseCheck {

    /** Seeds between ten years ago and tomorrow (in ms) look like DL4J's default seed, the build time. */
    private static final long TEN_YEARS_MS = 10L * 365 * 24 * 3600 * 1000;

    SeedCheck() {
        super("env.seed", Level.CODE, Symptom.NONDETERMINISTIC);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        NetworkOps ops = ctx.ops();
        long seed = ops.configuredSeed();
        long now = System.currentTimeMillis();
        if (seed > now - TEN_YEARS_MS && seed < now + 24L * 3600 * 1000) {
            return CheckResult.problem(this, CheckStatus.WARN, Finding.builder(Symptom.NONDETERMINISTIC, Severity.WARN,
                            "the configuration's seed " + seed + " looks like DL4J's default (the time the "
                                    + "configuration was built): weights differ on every run")
                    .evidence("seed", seed)
                    .suggest("new NeuralNetConfiguration.Builder().seed(42)", "Nd4j.getRandom().setSeed(42) before "
                            + "building iterators that shuffle")
                    .build());
        }
        return CheckResult.pass(this,
                "the configuration has a fixed seed (" + seed + ")", Map.of("seed", (double) seed));
    }
}
