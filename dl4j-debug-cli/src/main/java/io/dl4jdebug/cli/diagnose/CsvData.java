package io.dl4jdebug.cli.diagnose;

import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.SequenceRecordReader;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.records.reader.impl.csv.CSVSequenceRecordReader;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.datasets.datavec.SequenceRecordReaderDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * CSV data read through DataVec, as DL4J users read it: {@code CSVRecordReader} and
 * {@code RecordReaderDataSetIterator} for rows (one example per line), {@code CSVSequenceRecordReader} and
 * {@code SequenceRecordReaderDataSetIterator} for sequences (one file per sequence, one line per time step). Before
 * DataVec reads a file, every line is checked, so that a bad cell or label is one line naming the file, line and
 * column and what was expected, not DataVec's exception.
 *
 * <p>Sequence layouts ({@code csv:DIR}): the files directly in DIR (sorted by name), each line one time step of
 * feature columns and the label column (labels per step; shorter sequences are padded at the end and masked); or
 * DIR/features/ and DIR/labels/ with files of the same names, a labels file holding one line (the sequence's class, or
 * value) or one line per step, aligned to the end of its sequence ({@code AlignmentMode.ALIGN_END}, as in DL4J's
 * sequence classification example).
 */
final class CsvData {

    /**
     * @param labelColumn the label column, 0-based ({@code --label-column}); null for the last
     * @param headerLines lines to skip at the top of each file ({@code --header-lines}); null to skip one line
     *                    when it is not numeric
     * @param regression  the label column holds values to regress on ({@code --regression}), not class indices
     */
    record Options(Integer labelColumn, Integer headerLines, boolean regression) {

        /** The defaults: the label last, a header detected, classification. */
        static final Options DEFAULT = new Options(null, null, false);

        /** Validates the fields. */
        Options {
            if (labelColumn != null && labelColumn < 0) {
                throw new UserInputException("--label-column must be >= 0 (0 is the first column) but was "
                        + labelColumn);
            }
            if (headerLines != null && headerLines < 0) {
                throw new UserInputException("--header-lines must be >= 0 but was " + headerLines);
            }
        }
    }

    private CsvData() {
    }

    /** One file's rows, checked: numeric, all of the same width. */
    private record Rows(Path file, int skipped, int columns, List<double[]> values, List<String[]> cells,
                        List<Integer> lines) {
    }

    /**
     * Reads rows: one example per line.
     *
     * @param file         the CSV file
     * @param limit        the most rows to read
     * @param classes      {@code --classes}, or null
     * @param modelClasses the model's output width, 0 when unknown
     * @param options      label column, header lines, regression
     * @return features {@code [n, columns - 1]}, labels one-hot (or the values when regressing)
     */
    static DataSet readRows(Path file, int limit, Integer classes, int modelClasses, Options options) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--data csv:" + file + ": no such file (csv:FILE for rows, csv:DIR for "
                    + "sequences)");
        }
        Rows rows = scan(file, options.headerLines(), limit);
        int label = labelColumn(rows, options);
        int width = options.regression() ? 1 : labelWidth(List.of(rows), label, classes, modelClasses);
        try {
            CSVRecordReader reader = new CSVRecordReader(rows.skipped(), ',');
            reader.initialize(new FileSplit(file.toFile()));
            RecordReaderDataSetIterator.Builder b = new RecordReaderDataSetIterator.Builder(reader,
                    rows.values().size());
            RecordReaderDataSetIterator it = (options.regression() ? b.regression(label)
                    : b.classification(label, width)).build();
            return it.next();
        } catch (IOException | InterruptedException e) {
            throw new UserInputException("--data csv:" + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads sequences: one file per sequence (see the class comment for the two layouts).
     *
     * @param dir          the directory
     * @param limit        the most sequences to read
     * @param classes      {@code --classes}, or null
     * @param modelClasses the model's output width, 0 when unknown
     * @param options      label column, header lines, regression
     * @return features NCW {@code [n, features, steps]}, labels per step {@code [n, classes, steps]}, masks where the
     *         lengths differ
     */
    static DataSet readSequences(Path dir, int limit, Integer classes, int modelClasses, Options options) {
        Path features = dir.resolve("features");
        Path labels = dir.resolve("labels");
        boolean split = Files.isDirectory(features) && Files.isDirectory(labels);
        List<Path> files = csvFiles(split ? features : dir, limit);
        if (files.isEmpty()) {
            throw new UserInputException("--data csv:" + dir + " holds no .csv files: csv:DIR takes one CSV file per "
                    + "sequence (one line per time step) in DIR, or in DIR/features and DIR/labels");
        }
        List<Rows> featureRows = new ArrayList<>();
        for (Path f : files) {
            featureRows.add(scan(f, options.headerLines(), Integer.MAX_VALUE));
        }
        checkSameLayout(featureRows);
        try {
            if (!split) {
                int label = labelColumn(featureRows.get(0), options);
                int width = options.regression() ? 1 : labelWidth(featureRows, label, classes, modelClasses);
                SequenceRecordReader reader = new CSVSequenceRecordReader(featureRows.get(0).skipped(), ",");
                reader.initialize(new CollectionInputSplit(uris(files)));
                return new SequenceRecordReaderDataSetIterator(reader, files.size(), width, label,
                        options.regression()).next();
            }
            List<Rows> labelRows = new ArrayList<>();
            for (Path f : files) {
                Path l = labels.resolve(f.getFileName().toString());
                if (!Files.isRegularFile(l)) {
                    throw new UserInputException("--data csv:" + dir + ": " + f.getFileName() + " in features/ has no "
                            + "labels file " + l + " (labels/ holds one file per sequence, of the same name)");
                }
                labelRows.add(scan(l, options.headerLines(), Integer.MAX_VALUE));
            }
            checkSameLayout(labelRows);
            int width = options.regression() ? labelRows.get(0).columns()
                    : labelWidth(labelRows, 0, classes, modelClasses);
            if (!options.regression() && labelRows.get(0).columns() != 1) {
                throw new UserInputException("--data csv:" + labelRows.get(0).file() + " has "
                        + labelRows.get(0).columns() + " columns: a labels file of a classification holds one "
                        + "column, the class index (or give --regression)");
            }
            SequenceRecordReader featureReader = new CSVSequenceRecordReader(featureRows.get(0).skipped(), ",");
            featureReader.initialize(new CollectionInputSplit(uris(files)));
            SequenceRecordReader labelReader = new CSVSequenceRecordReader(labelRows.get(0).skipped(), ",");
            labelReader.initialize(new CollectionInputSplit(uris(files.stream()
                    .map(f -> labels.resolve(f.getFileName().toString())).toList())));
            return new SequenceRecordReaderDataSetIterator(featureReader, labelReader, files.size(), width,
                    options.regression(), SequenceRecordReaderDataSetIterator.AlignmentMode.ALIGN_END).next();
        } catch (IOException | InterruptedException e) {
            throw new UserInputException("--data csv:" + dir + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static List<Path> csvFiles(Path dir, int limit) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv"))
                    .sorted(CsvData::naturalOrder).limit(limit).toList();
        } catch (IOException e) {
            throw new UserInputException("--data csv:" + dir + ": cannot list it (" + e.getMessage() + ")", e);
        }
    }

    /** Names with numbers in numeric order: 2.csv before 10.csv. */
    private static int naturalOrder(Path a, Path b) {
        String x = a.getFileName().toString();
        String y = b.getFileName().toString();
        String dx = x.replaceAll("\\D", "");
        String dy = y.replaceAll("\\D", "");
        if (!dx.isEmpty() && !dy.isEmpty() && dx.length() < 10 && dy.length() < 10
                && x.replaceAll("\\d", "").equals(y.replaceAll("\\d", ""))) {
            return Long.compare(Long.parseLong(dx), Long.parseLong(dy));
        }
        return x.compareTo(y);
    }

    private static List<URI> uris(List<Path> files) {
        return files.stream().map(Path::toUri).toList();
    }

    private static void checkSameLayout(List<Rows> all) {
        Rows first = all.get(0);
        for (Rows r : all) {
            if (r.skipped() != first.skipped()) {
                throw new UserInputException("--data csv:" + r.file() + (r.skipped() > first.skipped()
                        ? " starts with a header" : " has no header") + " but " + first.file().getFileName()
                        + (first.skipped() > 0 ? " has one" : " has none") + ": every sequence file needs the same "
                        + "header lines (--header-lines N)");
            }
            if (r.columns() != first.columns()) {
                throw new UserInputException("--data csv:" + r.file() + " has " + r.columns() + " columns, but "
                        + first.file().getFileName() + " has " + first.columns() + ": every sequence file needs the "
                        + "same columns");
            }
        }
    }

    /**
     * Reads a file with DataVec's CSVRecordReader and checks every cell: numeric, the same count on every line.
     * Without {@code headerLines}, a first line that is not numeric is a header.
     */
    private static Rows scan(Path file, Integer headerLines, int limit) {
        int skip = headerLines == null ? 0 : headerLines;
        List<double[]> values = new ArrayList<>();
        List<String[]> cells = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int columns = -1;
        try {
            CSVRecordReader reader = new CSVRecordReader(skip, ',');
            reader.initialize(new FileSplit(file.toFile()));
            while (reader.hasNext() && values.size() < limit) {
                Record record = reader.nextRecord();
                int line = ((RecordMetaDataLine) record.getMetaData()).getLineNumber() + 1;
                List<Writable> row = record.getRecord();
                if (row.size() == 1 && row.get(0).toString().isBlank()) {
                    throw new UserInputException("--data csv:" + file + " line " + line + " is empty: every line "
                            + "is an example (or a time step); remove it");
                }
                double[] parsed = new double[row.size()];
                String[] text = new String[row.size()];
                for (int c = 0; c < row.size(); c++) {
                    text[c] = row.get(c).toString();
                    try {
                        parsed[c] = Double.parseDouble(text[c]);
                    } catch (NumberFormatException e) {
                        if (headerLines == null && values.isEmpty() && line == 1) {
                            parsed = null;
                            break;
                        }
                        throw new UserInputException("--data csv:" + file + " line " + line + " column " + (c + 1)
                                + ": not a number ('" + text[c] + "'); every column must be numeric"
                                + (headerLines == null ? " (a non-numeric first line is a header; --header-lines N "
                                + "skips N lines)" : ""));
                    }
                }
                if (parsed == null) {
                    skip = 1; // the header
                    continue;
                }
                if (columns < 0) {
                    columns = row.size();
                } else if (row.size() != columns) {
                    throw new UserInputException("--data csv:" + file + " line " + line + ": " + row.size()
                            + " columns, but the first row has " + columns);
                }
                values.add(parsed);
                cells.add(text);
                lines.add(line);
            }
        } catch (IOException | InterruptedException | IllegalStateException e) {
            throw new UserInputException("--data csv:" + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        if (values.isEmpty()) {
            throw new UserInputException("--data csv:" + file + ": needs at least one row of numbers (features, "
                    + "then the label)");
        }
        return new Rows(file, skip, columns, values, cells, lines);
    }

    private static int labelColumn(Rows rows, Options options) {
        if (rows.columns() < 2) {
            throw new UserInputException("--data csv:" + rows.file() + ": needs at least two columns (features and "
                    + "the label) but has " + rows.columns());
        }
        int label = options.labelColumn() == null ? rows.columns() - 1 : options.labelColumn();
        if (label >= rows.columns()) {
            throw new UserInputException("--label-column " + label + " is outside --data csv:" + rows.file()
                    + ", which has columns 0.." + (rows.columns() - 1));
        }
        return label;
    }

    /**
     * The class count of the labels. With {@code --classes} every label must be below it. Without, it is the
     * largest label + 1, unless labels beyond the model's output skip classes (0..9 and a 15, none of 10..14): that
     * is a bad label, not a model with too few outputs, and is reported as LABELS_INVALID with its line.
     */
    private static int labelWidth(List<Rows> files, int column, Integer classes, int modelClasses) {
        BitSet seen = new BitSet();
        int max = -1;
        String firstBeyond = null;
        int firstBeyondLabel = -1;
        for (Rows rows : files) {
            for (int r = 0; r < rows.values().size(); r++) {
                double label = rows.values().get(r)[column];
                String where = "--data csv:" + rows.file() + " line " + rows.lines().get(r) + " column " + (column + 1);
                if (label < 0 || label != Math.rint(label) || label >= Integer.MAX_VALUE) {
                    throw new UserInputException("LABELS_INVALID " + where + ": label " + label + " is not a class "
                            + "index (an integer >= 0); regression targets need --regression");
                }
                int c = (int) label;
                if (!rows.cells().get(r)[column].equals(String.valueOf(c))) {
                    throw new UserInputException("LABELS_INVALID " + where + ": label '" + rows.cells().get(r)[column]
                            + "' must be written as the integer " + c + " (DataVec reads class labels as integers)");
                }
                if (classes != null && c >= classes) {
                    throw new UserInputException("LABELS_INVALID " + where + ": label " + c + " is outside --classes "
                            + classes + " (0.." + (classes - 1) + "); fix that row or raise --classes");
                }
                if (modelClasses > 0 && c >= modelClasses && firstBeyond == null) {
                    firstBeyond = where;
                    firstBeyondLabel = c;
                }
                seen.set(c);
                max = Math.max(max, c);
            }
        }
        if (classes != null) {
            return classes;
        }
        if (firstBeyond != null && seen.cardinality() < max + 1) {
            int missing = seen.nextClearBit(modelClasses);
            throw new UserInputException("LABELS_INVALID " + firstBeyond + ": label " + firstBeyondLabel + " is not "
                    + "one of the model's " + modelClasses + " classes (0.." + (modelClasses - 1) + "), and class "
                    + missing + " never occurs, so it looks like a bad label rather than too few outputs; fix that "
                    + "row, or give --classes N (and nOut(N)) if the data has N classes");
        }
        // labels that all fit the model's output (a sample without its top class) keep the model's width
        return Math.max(max + 1, modelClasses);
    }
}
