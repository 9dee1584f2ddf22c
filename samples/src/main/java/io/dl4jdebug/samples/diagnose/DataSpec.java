package io.dl4jdebug.samples.diagnose;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.MissingDataException;
import io.dl4jdebug.samples.cifar.CifarSource;
import io.dl4jdebug.samples.cifar.NoCifarDataException;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A dataset named on the command line: {@code fashion-mnist[:DIR]}, {@code cifar10[:DIR]} or {@code csv:FILE}
 * (numeric columns, the last one an integer class label starting at 0; a non-numeric first line is a header).
 *
 * @param kind     which format
 * @param location the directory or file, or null for the default
 */
public record DataSpec(Kind kind, Path location) {

    /** The supported formats. */
    public enum Kind {
        /** Fashion-MNIST IDX files. */
        FASHION_MNIST,
        /** CIFAR-10 (DL4J layout, binary distribution, or generated). */
        CIFAR10,
        /** A numeric CSV file with the class label in the last column. */
        CSV
    }

    /** Validates the fields. */
    public DataSpec {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CSV && location == null) {
            throw new UserInputException("--data csv needs a file: csv:FILE");
        }
    }

    /**
     * @param spec the text given to --data
     * @return the parsed spec
     * @throws UserInputException for anything else, listing the valid forms
     */
    public static DataSpec parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        Path location = colon < 0 || colon == s.length() - 1 ? null : Paths.get(s.substring(colon + 1));
        return switch (name) {
            case "fashion-mnist" -> new DataSpec(Kind.FASHION_MNIST, location);
            case "cifar10" -> new DataSpec(Kind.CIFAR10, location);
            case "csv" -> new DataSpec(Kind.CSV, location);
            default -> throw new UserInputException("--data '" + spec + "' is not a dataset: expected "
                    + "fashion-mnist[:DIR], cifar10[:DIR] or csv:FILE");
        };
    }

    /**
     * Reads the training examples.
     *
     * @param examples the most examples to read
     * @param batch    minibatch size
     * @param workDir  where CIFAR-10 conversions or generated images go
     * @param notices  where the origin of CIFAR-10 data is announced (loudly when the images are generated)
     * @return an in-memory iterator
     * @throws UserInputException when the data cannot be read (naming the path)
     */
    public DataSetIterator read(int examples, int batch, Path workDir, java.io.PrintStream notices) {
        return switch (kind) {
            case FASHION_MNIST -> {
                try {
                    DataSet ds = FashionMnist.load(location == null ? FashionMnist.defaultDirectory() : location,
                            FashionMnist.Split.TRAIN, examples, true);
                    yield new ListDataSetIterator<>(ds.batchBy(batch), 1);
                } catch (MissingDataException e) {
                    throw new UserInputException("--data " + e.getMessage(), e);
                }
            }
            case CIFAR10 -> {
                try {
                    CifarSource.Prepared source = CifarSource.prepare(location, workDir, false,
                            Math.max(1, examples / 10 + 1), 10, 1);
                    notices.println("Data: CIFAR-10 from " + source.base() + " (" + source.origin() + ")");
                    if (source.synthetic()) {
                        notices.println("  !!! SYNTHETIC DATA: no CIFAR-10 here (no DIR given, no DL4J cache); the "
                                + "images are GENERATED in CIFAR-10's layout. Give cifar10:DIR for the real data.");
                    }
                    yield source.read(true, examples, batch, 123);
                } catch (NoCifarDataException e) {
                    throw new UserInputException("--data cifar10:" + e.getMessage(), e);
                }
            }
            case CSV -> new ListDataSetIterator<>(readCsv(location, examples).batchBy(batch), 1);
        };
    }

    static DataSet readCsv(Path file, int limit) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--data csv:" + file + ": no such file");
        }
        List<double[]> rows = new ArrayList<>();
        int columns = -1;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null && rows.size() < limit) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] values = new double[cells.length];
                try {
                    for (int i = 0; i < cells.length; i++) {
                        values[i] = Double.parseDouble(cells[i].trim());
                    }
                } catch (NumberFormatException e) {
                    if (rows.isEmpty() && lineNo == 1) {
                        continue; // header
                    }
                    throw new UserInputException("--data csv:" + file + " line " + lineNo + ": not a number ("
                            + e.getMessage() + "); every column must be numeric, the last one the class label");
                }
                if (columns < 0) {
                    columns = cells.length;
                } else if (cells.length != columns) {
                    throw new UserInputException("--data csv:" + file + " line " + lineNo + ": " + cells.length
                            + " columns, but the first row has " + columns);
                }
                rows.add(values);
            }
        } catch (IOException e) {
            throw new UserInputException("--data csv:" + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        if (rows.isEmpty() || columns < 2) {
            throw new UserInputException("--data csv:" + file + ": needs at least one row of two or more columns "
                    + "(features, then the class label)");
        }
        int classes = 0;
        for (int r = 0; r < rows.size(); r++) {
            double label = rows.get(r)[columns - 1];
            if (label < 0 || label != Math.rint(label)) {
                throw new UserInputException("--data csv:" + file + " row " + (r + 1) + ": label " + label
                        + " is not a class index (an integer >= 0) in the last column");
            }
            classes = Math.max(classes, (int) label + 1);
        }
        float[] features = new float[rows.size() * (columns - 1)];
        float[] labels = new float[rows.size() * classes];
        for (int r = 0; r < rows.size(); r++) {
            double[] row = rows.get(r);
            for (int c = 0; c < columns - 1; c++) {
                features[r * (columns - 1) + c] = (float) row[c];
            }
            labels[r * classes + (int) row[columns - 1]] = 1f;
        }
        return new DataSet(Nd4j.create(features, new long[] {rows.size(), columns - 1}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {rows.size(), classes}, DataType.FLOAT));
    }
}
