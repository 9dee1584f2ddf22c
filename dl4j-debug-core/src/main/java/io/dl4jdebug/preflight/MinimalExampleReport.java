package io.dl4jdebug.preflight;

import io.dl4jdebug.diagnose.Finding;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of the minimal reproducible example: whether the whole network memorizes a handful of examples and,
 * when it does not, what bisection found.
 *
 * @param full     how the whole network did
 * @param segments the segments bisection cut the network into (empty when bisection did not run)
 * @param trials   the simplified networks bisection trained, in the order it trained them
 * @param culprit  the first segment whose addition stops learning, or null
 * @param note     one sentence on the bisection's outcome or why it did not run
 * @param findings CANNOT_OVERFIT_SMALL_BATCH when the network cannot memorize the examples, naming the culprit
 */
public record MinimalExampleReport(OverfitResult full, List<Segment> segments, List<BisectionTrial> trials,
                                   Segment culprit, String note, List<Finding> findings) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the lists. */
    public MinimalExampleReport {
        Objects.requireNonNull(full, "full");
        segments = List.copyOf(segments);
        trials = List.copyOf(trials);
        Objects.requireNonNull(note, "note");
        findings = List.copyOf(findings);
    }

    /** @return true when the whole network memorized the examples */
    public boolean canOverfit() {
        return full.overfits();
    }

    /** @return the segment bisection blames, empty when the network overfits or bisection found none */
    public Optional<Segment> culpritSegment() {
        return Optional.ofNullable(culprit);
    }

    /** @return a plain-text summary: the full run, then one line per bisection trial */
    public String toText() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Minimal example: %d examples, loss %.4g -> %.4g in %d steps (target %.4g): %s%n", full.examples(),
                full.initialLoss(), full.finalLoss(), full.steps(), full.targetLoss(),
                canOverfit() ? "overfits" : "CANNOT overfit"));
        for (BisectionTrial t : trials) {
            sb.append(String.format(Locale.ROOT, "  %d segments (%s) + fresh head: loss %.4g -> %.4g in %d steps: %s%n",
                    t.segmentsKept(), t.lastSegment() == null ? "inputs only" : "up to " + t.lastSegment().describe(),
                    t.result().initialLoss(), t.result().finalLoss(), t.result().steps(),
                    t.result().overfits() ? "overfits" : "FAILS"));
        }
        sb.append("  ").append(note).append('\n');
        return sb.toString();
    }
}
