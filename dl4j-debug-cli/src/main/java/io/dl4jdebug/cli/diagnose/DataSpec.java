package io.dl4jdebug.cli.diagnose;

import io.dl4jdebug.data.FashionMnist;
import io.dl4jdebug.data.MissingDataException;
import io.dl4jdebug.cli.cifar.CifarSource;
import io.dl4jdebug.cli.cifar.NoCifarDataException;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;

/**
 * A dataset named on the command line: {@code fashion-mnist[:DIR]}, {@code cifar10[:DIR]}, {@code csv:FILE} (rows:
 * numeric columns, by default the last one an integer class label starting at 0; a non-numeric first line is a
 * header) or {@code csv:DIR} (sequences, one file per sequence: see {@link CsvData}). For a network whose input is
 * recurrent, Fashion-MNIST is read as 28 time steps of 28 pixels ({@link FashionMnist#asSequences}), and sequence data
 * has its labels fitted to the network's output ({@link ModelInput#fitLabels}); features stay NCW.
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
        /** A numeric CSV file (rows) or a directory of them (sequences). */
        CSV
    }

    /** Validates the fields. */
    public DataSpec {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CSV && location == null) {
            throw new UserInputException("--data csv needs a file or a directory: csv:FILE (rows) or csv:DIR "
                    + "(sequences)");
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
                    + "fashion-mnist[:DIR], cifar10[:DIR], csv:FILE or csv:DIR");
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
     * @param input    what the network reads: sequences are fed to a recurrent network, rows to the others
     * @param csv      CSV options: label column, header lines, regression
     * @return an in-memory iterator
     * @throws UserInputException when the data cannot be read (naming the path), a CSV label is not a class, or
     *                            the data's kind (rows or sequences) does not fit the network
     */
    public DataSetIterator read(int examples, int batch, Path workDir, java.io.PrintStream notices, Integer classes,
                                int modelClasses, ModelInput input, CsvData.Options csv) {
        if (kind == Kind.CIFAR10 && input.recurrent()) {
            throw new UserInputException("--data cifar10 is images, but the model's first layer is recurrent (it reads "
                    + "sequences): give fashion-mnist (read as 28-step sequences) or csv:DIR (one file per sequence)");
        }
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
                    if (input.recurrent()) {
                        ds = input.fitLabels(FashionMnist.asSequences(ds));
                    }
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
            case CSV -> new ListDataSetIterator<>(readCsv(examples, classes, modelClasses, input, csv).batchBy(batch),
                    1);
        };
    }

    private DataSet readCsv(int examples, Integer classes, int modelClasses, ModelInput input, CsvData.Options csv) {
        if (Files.isDirectory(location)) {
            if (!input.recurrent()) {
                throw new UserInputException("--data csv:" + location + " is a directory, read as sequences (one file "
                        + "per sequence), but the model's first layer is not recurrent: give csv:FILE (one example "
                        + "per line) for it");
            }
            return input.fitLabels(CsvData.readSequences(location, examples, classes, modelClasses, csv));
        }
        if (input.recurrent() && Files.isRegularFile(location)) {
            throw new UserInputException("--data csv:" + location + " is one file, read as rows, but the model's first "
                    + "layer is recurrent (it reads sequences): give csv:DIR with one CSV file per sequence, one line "
                    + "per time step (see --help)");
        }
        return CsvData.readRows(location, examples, classes, modelClasses, csv);
    }
}
