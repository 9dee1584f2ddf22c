package io.dl4jdebug.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The method's debug configuration template (article section 6.2) for DL4J, applied in one call by
 * {@code io.dl4jdebug.Dl4jDebug.attach(net, config)}. Defaults are the article's, except the NaN policy: LOG, because
 * a monitoring library changes training only when asked to ({@code nanPolicy(NanPolicy.STOP)} together with
 * {@code session.guard(iterator)} ends training at the first NaN/Inf):
 *
 * <table>
 * <caption>Fields</caption>
 * <tr><th>field</th><th>default</th><th>what applying it does</th></tr>
 * <tr><td>seed</td><td>42</td><td>{@code Nd4j.getRandom().setSeed(seed)} (dropout, shuffling, ND4J random ops);
 *   the network's weights were already drawn from its builder's {@code .seed(...)}</td></tr>
 * <tr><td>deterministic</td><td>true</td><td>disables ND4J's platform helpers (cuDNN / oneDNN), whose algorithms may
 *   differ between runs: {@code Nd4j.getEnvironment().allowHelpers(false)}</td></tr>
 * <tr><td>debugMode</td><td>true</td><td>attaches the activation monitor (dead, saturated, collapsed units)</td></tr>
 * <tr><td>checkGradients</td><td>true</td><td>attaches the gradient monitor (vanishing/exploding norms, update
 *   ratios); the numerical gradient check is a separate preflight step</td></tr>
 * <tr><td>logFrequency</td><td>10</td><td>the monitors measure every {@code logFrequency} iterations after the dense
 *   start</td></tr>
 * <tr><td>denseIterations</td><td>20</td><td>the monitors measure every one of the first {@code denseIterations}
 *   iterations, where transient trouble (an explosion right after initialisation) happens; 0 for none
 *   ({@link Schedule})</td></tr>
 * <tr><td>gradientClip</td><td>1.0</td><td>sets {@code GradientNormalization.ClipL2PerLayer} with this threshold on
 *   every layer that has no gradient normalization yet (this changes the training math; {@code Session.close()}
 *   restores each layer's type and threshold); 0 leaves the network as it is</td></tr>
 * <tr><td>detectAnomaly</td><td>true</td><td>ND4J NaN/Inf panic: every op checks its output and throws at the first
 *   NaN/Inf (several times slower; debugging only)</td></tr>
 * <tr><td>profile</td><td>false</td><td>attaches DL4J's {@code PerformanceListener} (time per iteration, examples per
 *   second, ETL time) every {@code logFrequency} iterations</td></tr>
 * <tr><td>benchmark</td><td>false</td><td>speed over reproducibility: helpers allowed and ND4J's periodic GC off;
 *   cannot be combined with {@code deterministic}</td></tr>
 * <tr><td>nanPolicy</td><td>LOG</td><td>what the non-finite detector does at the first NaN/Inf: LOG reports it and
 *   training goes on; STOP ends {@code fit} after the iteration through an iterator wrapped by {@code guard(...)};
 *   THROW throws out of {@code fit}</td></tr>
 * <tr><td>reportFile</td><td>none</td><td>where the JSON report is written (none: no file)</td></tr>
 * <tr><td>rules</td><td>{@link RuleConfig#defaults()}</td><td>thresholds of the diagnosis rules</td></tr>
 * </table>
 *
 * <p>Every change {@code attach} makes is logged once (one line: what, on which layers, how to switch it off), listed
 * in the JSON report's {@code "debugConfiguration"} and undone by {@code Session.close()}, except the seed.
 *
 * @param seed           see the table
 * @param deterministic  see the table
 * @param debugMode      see the table
 * @param checkGradients see the table
 * @param logFrequency   see the table
 * @param denseIterations see the table
 * @param gradientClip   see the table
 * @param detectAnomaly  see the table
 * @param profile        see the table
 * @param benchmark      see the table
 * @param nanPolicy      see the table
 * @param reportFile     see the table; null for none
 * @param rules          see the table
 */
public record DebugConfig(long seed, boolean deterministic, boolean debugMode, boolean checkGradients,
                          int logFrequency, int denseIterations, double gradientClip, boolean detectAnomaly,
                          boolean profile, boolean benchmark, NanPolicy nanPolicy, Path reportFile, RuleConfig rules) {

    /** Validates the fields; messages name the field, the value and what is valid. */
    public DebugConfig {
        if (logFrequency < 1) {
            throw new IllegalArgumentException("logFrequency must be >= 1 but was " + logFrequency);
        }
        if (denseIterations < 0) {
            throw new IllegalArgumentException("denseIterations must be >= 0 (0: no dense start) but was "
                    + denseIterations);
        }
        if (!(gradientClip >= 0) || Double.isInfinite(gradientClip)) {
            throw new IllegalArgumentException("gradientClip must be a finite number >= 0 (0 = no clipping) but was "
                    + gradientClip);
        }
        if (deterministic && benchmark) {
            throw new IllegalArgumentException("benchmark must be false when deterministic is true (benchmark trades "
                    + "reproducibility for speed); set deterministic(false) to use benchmark(true)");
        }
        Objects.requireNonNull(nanPolicy, "nanPolicy must not be null; valid: THROW, STOP, LOG");
        Objects.requireNonNull(rules, "rules must not be null; use RuleConfig.defaults()");
    }

    /** @return the article's template */
    public static DebugConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the article's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the report file, when one is configured */
    public Optional<Path> report() {
        return Optional.ofNullable(reportFile);
    }

    /**
     * @return the monitors' schedule: each of the first {@code denseIterations} iterations, then every
     *         {@code logFrequency}
     */
    public Schedule schedule() {
        return Schedule.denseThenEvery(denseIterations, logFrequency);
    }

    /** Builder of {@link DebugConfig}; methods are named after the fields; {@link #build()} validates. */
    public static final class Builder {
        private long seed = 42;
        private boolean deterministic = true;
        private boolean debugMode = true;
        private boolean checkGradients = true;
        private int logFrequency = Schedule.DEFAULT_EVERY;
        private int denseIterations = Schedule.DEFAULT_DENSE_ITERATIONS;
        private double gradientClip = 1.0;
        private boolean detectAnomaly = true;
        private boolean profile = false;
        private boolean benchmark = false;
        private NanPolicy nanPolicy = NanPolicy.LOG;
        private Path reportFile;
        private RuleConfig rules = RuleConfig.defaults();

        private Builder() {
        }

        /** @param v the seed @return this builder */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** @param v whether runs must be reproducible @return this builder */
        public Builder deterministic(boolean v) {
            deterministic = v;
            return this;
        }

        /** @param v whether the activation monitor is attached @return this builder */
        public Builder debugMode(boolean v) {
            debugMode = v;
            return this;
        }

        /** @param v whether the gradient monitor is attached @return this builder */
        public Builder checkGradients(boolean v) {
            checkGradients = v;
            return this;
        }

        /** @param v monitor period in iterations, at least 1 @return this builder */
        public Builder logFrequency(int v) {
            logFrequency = v;
            return this;
        }

        /** @param v iterations measured one by one at the start, 0 for none @return this builder */
        public Builder denseIterations(int v) {
            denseIterations = v;
            return this;
        }

        /** @param v per-layer L2 clipping threshold, 0 for none @return this builder */
        public Builder gradientClip(double v) {
            gradientClip = v;
            return this;
        }

        /** @param v whether ND4J panics at the first NaN/Inf op output @return this builder */
        public Builder detectAnomaly(boolean v) {
            detectAnomaly = v;
            return this;
        }

        /** @param v whether DL4J's PerformanceListener is attached @return this builder */
        public Builder profile(boolean v) {
            profile = v;
            return this;
        }

        /** @param v speed over reproducibility @return this builder */
        public Builder benchmark(boolean v) {
            benchmark = v;
            return this;
        }

        /** @param v what to do at the first NaN/Inf (default LOG) @return this builder */
        public Builder nanPolicy(NanPolicy v) {
            nanPolicy = v;
            return this;
        }

        /** @param v where the JSON report goes, null for none @return this builder */
        public Builder reportFile(Path v) {
            reportFile = v;
            return this;
        }

        /** @param v thresholds of the diagnosis rules @return this builder */
        public Builder rules(RuleConfig v) {
            rules = v;
            return this;
        }

        /** @return the validated configuration */
        public DebugConfig build() {
            return new DebugConfig(seed, deterministic, debugMode, checkGradients, logFrequency, denseIterations, gradientClip,
                    detectAnomaly, profile, benchmark, nanPolicy, reportFile, rules);
        }
    }
}
