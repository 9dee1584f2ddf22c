package io.dl4jdebug.check;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.LossSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link TrainingCheck} saw: the mode, the iterations fitted and the suite's diagnosis. Healthy means no
 * incident of severity WARN or ERROR and, when learning was required, a loss that fell clearly below its start
 * ({@link LossSummary#learned()}). Immutable.
 *
 * @param mode            how the check trained
 * @param iterations      minibatches fitted
 * @param requireLearning whether the loss had to fall
 * @param diagnosis       the diagnosis of the run
 */
public record TrainingResult(CheckMode mode, int iterations, boolean requireLearning, Diagnosis diagnosis) {

    /** Fix lines shown per incident in a failure message. */
    static final int FIXES_SHOWN = 2;

    /** Validates the fields. */
    public TrainingResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(diagnosis, "diagnosis");
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0 but was " + iterations);
        }
    }

    /** @return the training loss curve the diagnosis saw */
    public LossSummary loss() {
        return diagnosis.loss();
    }

    /** @return the incidents a user must read (WARN or ERROR), most important first */
    public List<Incident> problems() {
        return diagnosis.loud();
    }

    /** @return true when the loss had to fall and did not */
    public boolean lossStuck() {
        return requireLearning && !diagnosis.loss().learned();
    }

    /** @return true when there is no loud incident and the loss fell where it had to */
    public boolean healthy() {
        return problems().isEmpty() && !lossStuck();
    }

    /**
     * @throws AssertionError naming the first incident's headline and fix (then the others'), or the loss that did
     *                        not fall, when the run is not healthy
     */
    public void assertHealthy() {
        if (!healthy()) {
            throw new AssertionError(describe());
        }
    }

    /**
     * @return the verdict in words: "healthy" with the loss, or each problem with its headline and fix, the first
     *         incident first
     */
    public String describe() {
        LossSummary l = loss();
        String curve = l.measured() ? String.format(Locale.ROOT, "loss %s -> %s (best %s)",
                IncidentText.number(l.first()), IncidentText.number(l.last()), IncidentText.number(l.best()))
                : "no finite loss";
        String head = String.format(Locale.ROOT, "%s after %d iteration%s (%s, %s)",
                healthy() ? "training is healthy" : "training is not healthy", iterations, iterations == 1 ? "" : "s",
                mode.name().toLowerCase(Locale.ROOT).replace('_', ' '), curve);
        if (healthy()) {
            return head;
        }
        List<String> lines = new ArrayList<>();
        lines.add(head + ":");
        int n = 0;
        for (Incident i : problems()) {
            lines.add(String.format(Locale.ROOT, "%d. %s", ++n, IncidentText.headline(i)));
            List<String> fix = i.fix();
            for (int k = 0; k < Math.min(FIXES_SHOWN, fix.size()); k++) {
                lines.add((k == 0 ? "   fix: " : "   or:  ") + fix.get(k));
            }
            if (!i.consequences().isEmpty()) {
                lines.add("   " + i.explains());
            }
        }
        if (lossStuck()) {
            lines.add(String.format(Locale.ROOT, "%d. the loss did not fall below %s of its start (%s) in %d "
                            + "iterations: a network that cannot fit %s has a bug in its model, loss or data wiring",
                    ++n, IncidentText.percent(1 - LossSummary.LEARNED_MARGIN), curve, iterations,
                    mode == CheckMode.OVERFIT_BATCHES ? "a few batches it sees again and again" : "its training data"));
        }
        return String.join(System.lineSeparator(), lines);
    }
}
