package io.dl4jdebug.diagnose;

import io.dl4jdebug.measure.WorkerScoped;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named diagnosis with its evidence and concrete fixes. Built through {@link #builder(Symptom, Severity, String)},
 * which requires a message.
 *
 * @param symptom        the stable symptom code
 * @param severity       how urgent it is
 * @param level          the debugging level (code, numerical, optimization)
 * @param message        one human sentence: what, where, the numbers
 * @param layer          the layer name, or null for a finding about the whole network
 * @param parameter      the parameter key, or null when the finding is not about one parameter
 * @param firstIteration the iteration where the symptom was first seen
 * @param evidence       the numbers that triggered it, thresholds included, in insertion order
 * @param suggestions    concrete fixes, DL4J builder calls where possible
 * @param worker         the DL4J ParallelWrapper worker whose snapshots showed it ({@code worker-<n>}), empty
 *                       outside ParallelWrapper; null (an old stored record) reads as empty
 */
public record Finding(Symptom symptom, Severity severity, Level level, String message, String layer,
                      String parameter, long firstIteration, Map<String, Double> evidence, List<String> suggestions,
                      String worker)
        implements Serializable, WorkerScoped {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the collections. */
    public Finding {
        Objects.requireNonNull(symptom, "symptom");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(level, "level");
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a finding needs a message");
        }
        if (firstIteration < 0) {
            throw new IllegalArgumentException("firstIteration must be >= 0 but was " + firstIteration);
        }
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        suggestions = List.copyOf(suggestions);
        worker = worker == null ? "" : worker;
    }

    /**
     * A finding outside ParallelWrapper (no worker).
     *
     * @param symptom        the symptom
     * @param severity       the severity
     * @param level          the level
     * @param message        one human sentence
     * @param layer          the layer, or null
     * @param parameter      the parameter key, or null
     * @param firstIteration where it was first seen
     * @param evidence       the numbers
     * @param suggestions    the fixes
     */
    public Finding(Symptom symptom, Severity severity, Level level, String message, String layer, String parameter,
                   long firstIteration, Map<String, Double> evidence, List<String> suggestions) {
        this(symptom, severity, level, message, layer, parameter, firstIteration, evidence, suggestions, "");
    }

    /**
     * @param worker the ParallelWrapper worker (empty for none)
     * @return this finding, made from that worker's snapshots
     */
    public Finding withWorker(String worker) {
        return new Finding(symptom, severity, level, message, layer, parameter, firstIteration, evidence,
                suggestions, worker);
    }


    /** @return the layer, empty for a global finding */
    public Optional<String> layerName() {
        return Optional.ofNullable(layer);
    }

    /** @return the parameter key, empty when not about one parameter */
    public Optional<String> parameterKey() {
        return Optional.ofNullable(parameter);
    }

    /** @return where the finding is: "layer" or "layer/parameter"; empty for a global finding */
    public Optional<String> location() {
        return layerName().map(l -> parameter == null ? l : l + "/" + parameter);
    }

    /** @return the key that identifies "the same finding" across iterations: symptom, layer and parameter */
    public String identity() {
        return symptom + "|" + (layer == null ? "" : layer) + "|" + (parameter == null ? "" : parameter);
    }

    /**
     * Starts a finding; its level is the symptom's.
     *
     * @param symptom  the symptom
     * @param severity the severity
     * @param message  one human sentence (required)
     * @return a builder
     */
    public static Builder builder(Symptom symptom, Severity severity, String message) {
        return new Builder(symptom, severity, message);
    }

    /** Collects the optional parts of a {@link Finding}. Not thread safe. */
    public static final class Builder {
        private final Symptom symptom;
        private final Severity severity;
        private final String message;
        private String layer;
        private String parameter;
        private long firstIteration;
        private final Map<String, Double> evidence = new LinkedHashMap<>();
        private final List<String> suggestions = new ArrayList<>();

        private Builder(Symptom symptom, Severity severity, String message) {
            this.symptom = symptom;
            this.severity = severity;
            this.message = message;
        }

        /**
         * @param layer the layer name
         * @return this builder
         */
        public Builder layer(String layer) {
            this.layer = layer;
            return this;
        }

        /**
         * @param parameter the parameter key
         * @return this builder
         */
        public Builder parameter(String parameter) {
            this.parameter = parameter;
            return this;
        }

        /**
         * @param firstIteration where it was first seen
         * @return this builder
         */
        public Builder firstIteration(long firstIteration) {
            this.firstIteration = firstIteration;
            return this;
        }

        /**
         * @param name  what the number is
         * @param value the number
         * @return this builder
         */
        public Builder evidence(String name, double value) {
            this.evidence.put(name, value);
            return this;
        }

        /**
         * @param values named numbers backing the finding, added in their iteration order
         * @return this builder
         */
        public Builder evidence(Map<String, Double> values) {
            this.evidence.putAll(values);
            return this;
        }

        /**
         * @param suggestions concrete fixes
         * @return this builder
         */
        public Builder suggest(String... suggestions) {
            this.suggestions.addAll(List.of(suggestions));
            return this;
        }

        /** @return the finding */
        public Finding build() {
            return new Finding(symptom, severity, symptom.level(), message, layer, parameter, firstIteration,
                    evidence, suggestions);
        }
    }
}
