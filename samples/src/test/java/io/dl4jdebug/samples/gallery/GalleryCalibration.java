package io.dl4jdebug.samples.gallery;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.cli.FindingsText;
import io.dl4jdebug.cli.ui.UiSession;

import java.util.Locale;

/**
 * Not a test: prints the ordered findings of every sample (buggy and fixed) for several seeds, to check that the
 * gallery's configurations are far from the edge. {@code java ... GalleryCalibration [sample] [seeds...]}.
 */
public final class GalleryCalibration {

    private GalleryCalibration() {
    }

    public static void main(String[] args) {
        String only = args.length > 0 ? args[0] : "all";
        long[] seeds = args.length > 1 ? java.util.Arrays.stream(args).skip(1).mapToLong(Long::parseLong).toArray()
                : new long[] {42};
        for (long seed : seeds) {
            GalleryData data = new GalleryData(GalleryData.fromDefaultDirectory().directory(), seed);
            for (GallerySample s : Gallery.all()) {
                if (!only.equals("all") && !only.equals(s.name())) {
                    continue;
                }
                for (boolean fixed : new boolean[] {false, true}) {
                    Outcome o = GalleryRunner.run(fixed ? s.fixed(data) : s.buggy(data), UiSession.disabled().newRun("x"),
                            null);
                    System.out.printf(Locale.ROOT, "== %s %s seed %d: %.1fs, %d it, top %s, has expected %s, loss %.3f -> %s / val %s%n",
                            s.name(), fixed ? "FIXED" : "BUGGY", seed, o.seconds(), o.iterations(), o.topSymptom(),
                            o.has(s.expectedSymptom()), o.firstLoss(), o.finalTrainLoss(), o.finalValidationLoss());
                    for (int i = 0; i < Math.min(6, o.findings().size()); i++) {
                        Finding f = o.findings().get(i);
                        System.out.println("   " + FindingsText.headline(f) + " " + f.evidence());
                    }
                }
            }
        }
    }
}
