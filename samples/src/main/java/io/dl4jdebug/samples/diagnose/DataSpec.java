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
     * @param classes  the class count: given with {@code --classes}, or null to take it from the data
     * @param modelClasses the model's output width (0 when unknown), used to tell a bad label from a wrong nOut
     * @return an in-memory iterator
     * @throws UserInputException when the data cannot be read (naming the path), or a CSV label is not a class
     */
    public DataSetIterator read(int examples, int batch, Path workDir, java.io.PrintStream notices, Integer classes,
                                int modelClasses) {
        if (kind != Kind.CSV && classes != null && classes != 10) {
            throw new UserInputException("--classes " + classes + " does not fit --data " + kind.name()
                    .toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ", which has 10 classes; --classes is "
                    + "for csv data");
        }
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
            case CSV -> new ListDataSetIterator<>(readCsv(location, examples, classes, modelClasses).batchBy(batch),
                    1);
        };
    }

    /**
     * @param file         the CSV file
     * @param limit        the most rows to read
     * @param classes      the class count given with {@code --classes}, or null
     * @param modelClasses the model's output width, 0 when unknown
     * @return features and one-hot labels
     * @throws UserInputException naming the file and line of the first bad cell or label
     */
    static DataSet readCsv(Path file, int limit, Integer classes, int modelClasses) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--data csv:" + file + ": no such file");
        }
        if (classes != null && classes < 2) {
            throw new UserInputException("--classes must be >= 2 but was " + classes);
        }
        List<double[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
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
                lines.add(lineNo);
            }
        } catch (IOException e) {
            throw new UserInputException("--data csv:" + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        if (rows.isEmpty() || columns < 2) {
            throw new UserInputException("--data csv:" + file + ": needs at least one row of two or more columns "
                    + "(features, then the class label)");
        }
        int width = labelWidth(file, rows, lines, columns - 1, classes, modelClasses);
        float[] features = new float[rows.size() * (columns - 1)];
        float[] labels = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            double[] row = rows.get(r);
            for (int c = 0; c < columns - 1; c++) {
                features[r * (columns - 1) + c] = (float) row[c];
            }
            labels[r * width + (int) row[columns - 1]] = 1f;
        }
        return new DataSet(Nd4j.create(features, new long[] {rows.size(), columns - 1}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {rows.size(), width}, DataType.FLOAT));
    }

    /**
     * The class count of the labels. With {@code --classes} every label must be below it. Without, it is the
     * largest label + 1, unless labels beyond the model's output skip classes (0..9 and a 15, none of 10..14): that
     * is a bad label, not a model with too few outputs, and is reported as LABELS_INVALID with its line.
     */
    private static int labelWidth(Path file, List<double[]> rows, List<Integer> lines, int column, Integer classes,
                                  int modelClasses) {
        java.util.BitSet seen = new java.util.BitSet();
        int max = -1;
        for (int r = 0; r < rows.size(); r++) {
            double label = rows.get(r)[column];
            if (label < 0 || label != Math.rint(label) || label >= Integer.MAX_VALUE) {
                throw new UserInputException("LABELS_INVALID --data csv:" + file + " line " + lines.get(r)
                        + ": label " + label + " is not a class index (an integer >= 0) in the last column");
            }
            int c = (int) label;
            if (classes != null && c >= classes) {
                throw new UserInputException("LABELS_INVALID --data csv:" + file + " line " + lines.get(r)
                        + ": label " + c + " is outside --classes " + classes + " (0.." + (classes - 1) + "); fix "
                        + "that row or raise --classes");
            }
            seen.set(c);
            max = Math.max(max, c);
        }
        if (classes != null) {
            return classes;
        }
        if (modelClasses > 0 && max >= modelClasses && seen.cardinality() < max + 1) {
            int first = -1;
            for (int r = 0; r < rows.size() && first < 0; r++) {
                first = rows.get(r)[column] >= modelClasses ? r : -1;
            }
            int c = (int) rows.get(first)[column];
            int missing = seen.nextClearBit(modelClasses);
            throw new UserInputException("LABELS_INVALID --data csv:" + file + " line " + lines.get(first)
                    + ": label " + c + " is not one of the model's " + modelClasses + " classes (0.."
                    + (modelClasses - 1) + "), and class " + missing + " never occurs, so it looks like a bad "
                    + "label rather than too few outputs; fix that row, or give --classes N (and nOut(N)) if the data "
                    + "has N classes");
        }
        // labels that all fit the model's output (a sample without its top class) keep the model's width
        return Math.max(max + 1, modelClasses);
    }
}
