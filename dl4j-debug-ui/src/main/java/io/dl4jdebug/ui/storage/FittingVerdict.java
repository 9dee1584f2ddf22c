package io.dl4jdebug.ui.storage;

import java.io.Serializable;

/**
 * The fitting diagnosis of one epoch (the method's rule: train &gt; 0.5 after 50 epochs: underfitting; gap &gt; 0.2:
 * overfitting; gap &lt; 0.05 and train &lt; 0.1: converged; else keep watching), as stored for the Debug page. The
 * verdict is a code string so that the page can show verdicts of any diagnosis version.
 *
 * @param iteration      the iteration at the end of the epoch (0-based)
 * @param epoch          the epoch (0-based)
 * @param verdict        the verdict code, e.g. {@code UNDERFITTING}, {@code OVERFITTING}, {@code CONVERGED},
 *                       {@code KEEP_WATCHING}
 * @param trainLoss      the training loss the verdict used
 * @param validationLoss the validation loss the verdict used
 * @param message        one human sentence explaining it
 */
public record FittingVerdict(long iteration, int epoch, String verdict, double trainLoss, double validationLoss,
                             String message) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields. */
    public FittingVerdict {
        if (iteration < 0 || epoch < 0) {
            throw new IllegalArgumentException("iteration and epoch must be >= 0 but were " + iteration + ", " + epoch);
        }
        if (verdict == null || verdict.isBlank()) {
            throw new IllegalArgumentException("verdict must be a code such as OVERFITTING but was '" + verdict + "'");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a fitting verdict needs a message");
        }
    }

    /** @return validation loss minus training loss */
    public double gap() {
        return validationLoss - trainLoss;
    }
}
