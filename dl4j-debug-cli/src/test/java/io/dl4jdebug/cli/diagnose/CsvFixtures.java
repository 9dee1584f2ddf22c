package io.dl4jdebug.cli.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** CSV data the diagnose tests write for themselves. */
final class CsvFixtures {

    private CsvFixtures() {
    }

    /**
     * Three Gaussian blobs in 4 dimensions, the class last; a header first.
     *
     * @param dir  where to write
     * @param file the file name
     * @param rows the examples
     * @return the file
     */
    static Path blobs(Path dir, String file, int rows) throws IOException {
        Path csv = dir.resolve(file);
        StringBuilder text = new StringBuilder("x0,x1,x2,x3,label\n");
        Random random = new Random(5);
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            for (int c = 0; c < 4; c++) {
                text.append(String.format(Locale.ROOT, "%.4f,", (c == label ? 2.0 : 0.0)
                        + random.nextGaussian() * 0.5));
            }
            text.append(label).append('\n');
        }
        Files.writeString(csv, text);
        return csv;
    }
}
