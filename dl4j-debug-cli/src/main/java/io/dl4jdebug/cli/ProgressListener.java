package io.dl4jdebug.cli;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for long training runs: epoch, batch, loss and an ETA, redrawn in place (carriage return)
 * at most every 200 ms. Not thread safe.
 */
public final class ProgressListener extends BaseTrainingListener {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final String label;
    private final int epochs;
    private final int batchesPerEpoch;
    private final long started = System.nanoTime();
    private long lastDraw;
    private int done;
    private boolean lineOpen;

    /**
     * @param out             where to draw
     * @param label           what is training
     * @param epochs          epochs planned
     * @param batchesPerEpoch minibatches per epoch
     */
    public ProgressListener(PrintStream out, String label, int epochs, int batchesPerEpoch) {
        if (epochs < 1 || batchesPerEpoch < 1) {
            throw new IllegalArgumentException("need epochs >= 1 and batchesPerEpoch >= 1, got " + epochs + ", "
                    + batchesPerEpoch);
        }
        this.out = out;
        this.label = label;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        done++;
        long now = System.nanoTime();
        int total = epochs * batchesPerEpoch;
        if (now - lastDraw < 200_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - started) / 1e9;
        double eta = done >= total ? 0 : elapsed / done * (total - done);
        int filled = (int) Math.min(WIDTH, (long) WIDTH * done / total);
        out.printf(Locale.ROOT, "\r  %-10s [%s%s] epoch %d/%d batch %d/%d loss %.4f ETA %3.0fs ", label,
                "#".repeat(filled), ".".repeat(WIDTH - filled), Math.min(epochs, (done - 1) / batchesPerEpoch + 1),
                epochs, (done - 1) % batchesPerEpoch + 1, batchesPerEpoch, model.score(), eta);
        lineOpen = true;
        if (done >= total) {
            finish();
        }
        out.flush();
    }

    /** Ends the bar's line when training stopped before the planned total (e.g. at the first NaN). Idempotent. */
    public void finish() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
