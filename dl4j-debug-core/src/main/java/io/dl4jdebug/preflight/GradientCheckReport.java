package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.Finding;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of a gradient check: per parameter, the largest relative error between backpropagation and central
 * differences.
 *
 * @param parameters  one check per trainable parameter array, from input to output
 * @param dl4jVerdict DL4J's GradientCheckUtil verdict on the same copy and settings, or null when not run
 * @param findings    GRADIENT_CHECK_FAILED for every failing parameter, the one nearest the output first
 */
public record GradientCheckReport(List<ParameterCheck> parameters, Boolean dl4jVerdict, List<Finding> findings)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public GradientCheckReport {
        parameters = List.copyOf(parameters);
        findings = List.copyOf(findings);
    }

    /** @return true when every parameter passed */
    public boolean passed() {
        return parameters.stream().allMatch(ParameterCheck::passed);
    }

    /** @return DL4J's verdict, empty when it was not run */
    public Optional<Boolean> dl4j() {
        return Optional.ofNullable(dl4jVerdict);
    }

    /**
     * @return the failing parameter nearest the output: errors flow backwards, so layers below a wrong backward pass
     * fail too and the origin is the failing layer closest to the output
     */
    public Optional<ParameterCheck> origin() {
        for (int i = parameters.size() - 1; i >= 0; i--) {
            if (!parameters.get(i).passed()) {
                return Optional.of(parameters.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * @param layer a layer name
     * @param key   a parameter key
     * @return that parameter's check
     */
    public Optional<ParameterCheck> parameter(String layer, String key) {
        return parameters.stream().filter(p -> p.layer().equals(layer) && p.key().equals(key)).findFirst();
    }

    /** @return a plain-text table, one line per parameter */
    public String toText() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Gradient check: %s%s%n",
                passed() ? "PASSED" : "FAILED", dl4jVerdict == null ? ""
                        : " (DL4J GradientCheckUtil: " + (dl4jVerdict ? "passed" : "failed") + ")"));
        for (ParameterCheck p : parameters) {
            sb.append(String.format(Locale.ROOT, "  %-24s %4d entries  max rel %.3e  max abs %.3e  %s%n",
                    p.displayName(), p.entriesChecked(), p.maxRelativeError(), p.maxAbsoluteError(),
                    p.passed() ? "ok" : p.failures() + " FAILED"));
        }
        return sb.toString();
    }
}
