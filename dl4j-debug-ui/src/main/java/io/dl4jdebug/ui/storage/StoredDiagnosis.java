package io.dl4jdebug.ui.storage;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Dismissal;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.diagnose.Verification;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Diagnosis} as stored for the Debug page: the incidents in the diagnosis' order (root cause first) with
 * their groups' summaries, layers, fix lines and verification numbers, and the dismissed findings with their
 * reasons; not the findings' evidence and not any snapshot, so that one record per epoch stays a few kilobytes.
 * Symptoms, severities and levels are code strings, so that the page shows a diagnosis written by any dl4j-debug
 * version (like {@link FittingVerdict}). The newest stored diagnosis replaces the older ones for display. Immutable.
 *
 * @param incidents     the incidents, in the diagnosis' order
 * @param dismissed     the findings the diagnosis does not show, with the reason
 * @param iterationsSeen training iterations the diagnosis' loss summary had seen (0 when unknown)
 */
public record StoredDiagnosis(List<Incident> incidents, List<Dismissed> dismissed, long iterationsSeen)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public StoredDiagnosis {
        incidents = List.copyOf(incidents);
        dismissed = List.copyOf(dismissed);
    }

    /**
     * @param diagnosis a diagnosis
     * @return what the Debug page shows of it, in the same order
     */
    public static StoredDiagnosis of(Diagnosis diagnosis) {
        Objects.requireNonNull(diagnosis, "diagnosis must not be null");
        List<Incident> incidents = diagnosis.incidents().stream().map(i -> new Incident(i.id(), i.symptom().name(),
                i.severity().name(), i.level().name(), i.root().firstIteration(), i.root().layers(),
                i.shortMessage(), i.fix(), i.consequences().stream().map(Group::of).toList(),
                i.verified().map(Trial::of).orElse(null))).toList();
        List<Dismissed> dismissed = diagnosis.dismissed().stream().map(Dismissed::of).toList();
        return new StoredDiagnosis(incidents, dismissed, diagnosis.loss().iterations());
    }

    /** @return true when some incident's fix was tried on a copy */
    public boolean verified() {
        return incidents.stream().anyMatch(i -> i.verification() != null);
    }

    /**
     * One incident: its root cause, the consequences it explains and its fix.
     *
     * @param id             1-based, in the diagnosis' order
     * @param symptom        the root cause's symptom code
     * @param severity       the highest severity of the root and its consequences ({@code ERROR}, {@code WARN},
     *                       {@code INFO})
     * @param level          the root cause's level ({@code CODE}, {@code NUMERICAL}, {@code OPTIMIZATION})
     * @param firstIteration where the root cause was first seen
     * @param layers         the root cause's layers, worst first (empty for a global cause)
     * @param message        the root cause's worst finding's message
     * @param fix            the fix lines: the remedies' texts, then the advice
     * @param consequences   what the root cause explains, in causal order
     * @param verification   the trial of the fix on a copy, null when it was not tried
     */
    public record Incident(int id, String symptom, String severity, String level, long firstIteration,
                           List<String> layers, String message, List<String> fix, List<Group> consequences,
                           Trial verification) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Validates the id and symptom and copies the lists. */
        public Incident {
            if (id < 1) {
                throw new IllegalArgumentException("incident id must be >= 1 but was " + id);
            }
            if (symptom == null || symptom.isBlank()) {
                throw new IllegalArgumentException("an incident needs a symptom code but was '" + symptom + "'");
            }
            layers = List.copyOf(layers);
            fix = List.copyOf(fix);
            consequences = List.copyOf(consequences);
        }

        /** @return true unless the severity is INFO: a card the user must read, not a note */
        public boolean loud() {
            return !"INFO".equals(severity);
        }
    }

    /**
     * One symptom an incident's root cause explains, all its findings in one entry.
     *
     * @param symptom        the symptom code
     * @param severity       the highest severity among its findings
     * @param firstIteration the earliest iteration among its findings
     * @param layers         the affected layers, worst first
     * @param findings       how many findings the group holds
     * @param summary        e.g. "GRADIENT_MISSING on 24 parameters in 12 layers (h1, h2, ...)"
     */
    public record Group(String symptom, String severity, long firstIteration, List<String> layers, int findings,
                        String summary) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Copies the layers. */
        public Group {
            layers = List.copyOf(layers);
        }

        static Group of(SymptomGroup g) {
            return new Group(g.symptom().name(), g.severity().name(), g.firstIteration(), g.layers(),
                    g.findings().size(), g.summary());
        }
    }

    /**
     * The trial of an incident's fix on a copy of the network (see {@link Verification}).
     *
     * @param confirmed      true when the fix beat the unchanged copy on the held-out metric by more than the
     *                       required margin and removed the incident's symptoms
     * @param remedy         the fix tried, as the user reads it
     * @param iterations     training iterations of each copy
     * @param baselineBefore loss of the unchanged copy before training
     * @param baselineAfter  loss of the unchanged copy after training (may be NaN or infinite)
     * @param fixedBefore    loss of the changed copy before training
     * @param fixedAfter     loss of the changed copy after training (may be NaN or infinite)
     * @param gone           symptom codes the fix removed
     * @param left           symptom codes the changed copy still showed
     * @param metric         the held-out metric's code ({@code ACCURACY} or {@code LOSS})
     * @param examples       held-out examples the copies were compared on
     * @param baselineMetric the unchanged copy's held-out metric at each seed (its own seed first)
     * @param fixedMetric    the changed copy's held-out metric
     * @param spread         the unchanged copy's spread across seeds
     * @param margin         the minimum improvement
     * @param required       the improvement a confirmation needs (the larger of spread and margin)
     * @param summary        one line: the verdict, the fix tried, and the numbers
     */
    public record Trial(boolean confirmed, String remedy, int iterations, double baselineBefore,
                        double baselineAfter, double fixedBefore, double fixedAfter, List<String> gone,
                        List<String> left, String metric, int examples, List<Double> baselineMetric,
                        double fixedMetric, double spread, double margin, double required, String summary)
            implements Serializable {

        private static final long serialVersionUID = 2L;

        /** Copies the lists. */
        public Trial {
            gone = List.copyOf(gone);
            left = List.copyOf(left);
            baselineMetric = List.copyOf(baselineMetric);
        }

        static Trial of(Verification v) {
            Verification.HeldOut h = v.heldOut();
            return new Trial(v.confirmed(), v.remedy().text(), v.iterations(), v.baselineBefore(),
                    v.baselineAfter(), v.fixedBefore(), v.fixedAfter(),
                    v.gone().stream().map(Enum::name).toList(), v.left().stream().map(Enum::name).toList(),
                    h.metric().name(), h.examples(), h.baseline(), h.fixed(), h.spread(), h.margin(), h.required(),
                    v.summary());
        }
    }

    /**
     * A finding the diagnosis does not show as its own, with the reason.
     *
     * @param symptom        the symptom code
     * @param severity       the severity code
     * @param level          the level code
     * @param layer          the layer, null for a global finding
     * @param parameter      the parameter key, null when not about one parameter
     * @param firstIteration where it was first seen
     * @param message        the finding's message
     * @param reason         why it is not shown
     */
    public record Dismissed(String symptom, String severity, String level, String layer, String parameter,
                            long firstIteration, String message, String reason) implements Serializable {

        private static final long serialVersionUID = 1L;

        static Dismissed of(Dismissal d) {
            Finding f = d.finding();
            return new Dismissed(f.symptom().name(), f.severity().name(), f.level().name(), f.layer(),
                    f.parameter(), f.firstIteration(), f.message(), d.reason());
        }
    }
}
