package io.dl4jdebug.diagnose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps two findings that contradict each other from both standing: a learning rate cannot be too high and too low
 * in one run (the low update ratio comes after the high one killed the units); a run whose training loss never went
 * below its initial value gets no over- or underfitting verdict (that is the "not learning" incident), nor does a
 * model whose validation loss is not below the first training loss (it has learned nothing that generalises); of
 * overfitting and underfitting, the latest epoch's verdict stands. Stateless.
 */
final class Contradictions {

    private Contradictions() {
    }

    static List<Finding> resolve(List<Finding> findings, LossSummary loss, List<Dismissal> dismissed) {
        List<Finding> kept = new ArrayList<>(findings);
        Optional<Finding> high = first(kept, Symptom.LEARNING_RATE_TOO_HIGH);
        if (high.isPresent()) {
            dismissAll(kept, Symptom.LEARNING_RATE_TOO_LOW, dismissed, "contradicts LEARNING_RATE_TOO_HIGH ("
                    + high.get().location().orElse("network") + ", iteration " + high.get().firstIteration()
                    + "): the update ratio fell after the too-large steps had damaged the units");
        }
        if (loss.measured() && !loss.learned()) {
            String why = String.format(Locale.ROOT, "the training loss never went below its initial value "
                    + "(first %.4g, best %.4g): a run that never learned gets no fitting verdict; see the "
                    + "not-learning incident", loss.first(), loss.best());
            dismissAll(kept, Symptom.OVERFITTING, dismissed, why);
            dismissAll(kept, Symptom.UNDERFITTING, dismissed, why);
        }
        if (loss.measured()) {
            kept.removeIf(f -> {
                Double validation = f.evidence().get("validationLoss");
                boolean premature = f.symptom() == Symptom.OVERFITTING && validation != null
                        && validation >= loss.first();
                if (premature) {
                    dismissed.add(new Dismissal(f, String.format(Locale.ROOT, "the validation loss %.4g is not "
                            + "below the first training loss %.4g: the model has not learned anything that "
                            + "generalises yet, so the gap is no overfitting verdict; fix the other incidents "
                            + "first", validation, loss.first())));
                }
                return premature;
            });
        }
        if (loss.measured()) {
            kept.removeIf(f -> {
                Double firstValidation = f.evidence().get("firstValidationLoss");
                boolean generalisedOnce = f.symptom() == Symptom.LABELS_INVALID && firstValidation != null
                        && firstValidation < loss.first() * (1 - LossSummary.LEARNED_MARGIN);
                if (generalisedOnce) {
                    dismissed.add(new Dismissal(f, String.format(Locale.ROOT, "the first validation loss %.4g is "
                            + "below the initial training loss %.4g: the first epoch learned something that "
                            + "generalised, so the rise after it is overfitting, not labels that say nothing",
                            firstValidation, loss.first())));
                }
                return generalisedOnce;
            });
        }
        Optional<Finding> over = last(kept, Symptom.OVERFITTING);
        Optional<Finding> under = last(kept, Symptom.UNDERFITTING);
        if (over.isPresent() && under.isPresent()) {
            Finding older = over.get().firstIteration() < under.get().firstIteration() ? over.get() : under.get();
            Finding newer = older == over.get() ? under.get() : over.get();
            dismissAll(kept, older.symptom(), dismissed, "superseded by the later verdict " + newer.symptom()
                    + " (iteration " + newer.firstIteration() + ")");
        }
        return kept;
    }

    private static Optional<Finding> first(List<Finding> findings, Symptom s) {
        return findings.stream().filter(f -> f.symptom() == s).min(Comparator.comparingLong(Finding::firstIteration));
    }

    private static Optional<Finding> last(List<Finding> findings, Symptom s) {
        return findings.stream().filter(f -> f.symptom() == s).max(Comparator.comparingLong(Finding::firstIteration));
    }

    private static void dismissAll(List<Finding> kept, Symptom s, List<Dismissal> dismissed, String reason) {
        kept.removeIf(f -> {
            if (f.symptom() == s) {
                dismissed.add(new Dismissal(f, reason));
                return true;
            }
            return false;
        });
    }
}
