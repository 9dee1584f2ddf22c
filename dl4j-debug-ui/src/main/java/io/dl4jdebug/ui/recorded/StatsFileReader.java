package io.dl4jdebug.ui.recorded;

import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.facts.NetworkFactsReader;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsInitializationReport;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.deeplearning4j.ui.model.stats.api.SummaryType;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a run recorded by DL4J's {@code StatsListener} from a {@code FileStatsStorage} file or from an open
 * {@code StatsStorage}: the reports of one session and worker, and the network rebuilt from the configuration JSON
 * StatsListener stored in its initialisation report (so that parameter keys map to layer names and element counts).
 * A file that is not a FileStatsStorage, or a storage without StatsListener records, is refused with one line naming
 * the path and what was expected. The file is opened, read and closed; dl4j-debug writes nothing into it (MapDB
 * locks it while open: a file still open in a training or a UI is refused with a message saying so). Stateless.
 */
public final class StatsFileReader {

    /** What a valid input is, for error messages. */
    static final String EXPECTED = "expected a file written by new FileStatsStorage(file) with DL4J's StatsListener "
            + "attached during training (new StatsListener(storage))";

    private static final byte[] SQLITE_HEADER = "SQLite format 3".getBytes(StandardCharsets.US_ASCII);

    private StatsFileReader() {
    }

    /**
     * @param file a FileStatsStorage file
     * @return the newest session's run (its first worker)
     * @throws RecordedRunException when the file is missing, is not a FileStatsStorage, or holds no StatsListener
     *                              records
     */
    public static RecordedRun read(Path file) {
        return read(file, null);
    }

    /**
     * @param file      a FileStatsStorage file
     * @param sessionId the session to read, null for the newest one holding StatsListener records
     * @return the session's run (its first worker)
     * @throws RecordedRunException when the file is missing, is not a FileStatsStorage, holds no StatsListener
     *                              records or not that session
     */
    public static RecordedRun read(Path file, String sessionId) {
        checkFile(file);
        FileStatsStorage storage;
        try {
            storage = new FileStatsStorage(file.toFile());
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vm) {
                throw vm;
            }
            if (e.getClass().getSimpleName().equals("FileLocked")) {
                throw new RecordedRunException(file + " is locked by another FileStatsStorage (a training or a UI "
                        + "still holding it open); diagnose it when that process has closed it, or diagnose a copy", e);
            }
            throw new RecordedRunException(file + " is not a DL4J FileStatsStorage (MapDB) file (" + oneLine(e)
                    + "); " + EXPECTED, e);
        }
        try {
            return read(storage, file.toString(), sessionId);
        } finally {
            try {
                storage.close();
            } catch (RuntimeException e) {
                // reading is done; a failing close of a file opened for reading loses nothing
                org.slf4j.LoggerFactory.getLogger(StatsFileReader.class).debug("closing {} failed", file, e);
            }
        }
    }

    private static void checkFile(Path file) {
        if (file == null) {
            throw new RecordedRunException("no stats file given; " + EXPECTED);
        }
        if (!Files.exists(file)) {
            throw new RecordedRunException(file + " does not exist; " + EXPECTED);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new RecordedRunException(file + " is not a readable file; " + EXPECTED);
        }
        byte[] head = new byte[SQLITE_HEADER.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new RecordedRunException(file + " cannot be read (" + oneLine(e) + "); " + EXPECTED, e);
        }
        if (n == 0) {
            throw new RecordedRunException(file + " is empty; " + EXPECTED);
        }
        if (n == head.length && java.util.Arrays.equals(head, SQLITE_HEADER)) {
            throw new RecordedRunException(file + " is an SQLite database (J7FileStatsStorage?), not a MapDB "
                    + "FileStatsStorage; " + EXPECTED);
        }
    }

    /**
     * @param storage   an open storage (not closed here)
     * @param source    how to name it in messages
     * @param sessionId the session to read, null for the newest one holding StatsListener records
     * @return the session's run (its first worker in name order; the others are listed in
     *         {@link RecordedRun#otherWorkers()})
     * @throws RecordedRunException when the storage holds no StatsListener records or not that session
     */
    public static RecordedRun read(StatsStorage storage, String source, String sessionId) {
        List<String> sessions = recordedSessions(storage);
        if (sessions.isEmpty()) {
            throw new RecordedRunException(source + " holds no StatsListener records (sessions: "
                    + describeSessions(storage) + "); " + EXPECTED);
        }
        String session;
        if (sessionId == null) {
            session = sessions.get(0);
        } else if (sessions.contains(sessionId)) {
            session = sessionId;
        } else {
            throw new RecordedRunException(source + " holds no StatsListener session '" + sessionId + "'; valid: "
                    + String.join(", ", sessions));
        }
        List<String> workers = storage.listWorkerIDsForSessionAndType(session, StatsListener.TYPE_ID);
        List<String> sortedWorkers = new ArrayList<>(workers);
        sortedWorkers.sort(Comparator.naturalOrder());
        String worker = sortedWorkers.get(0);
        List<String> others = new ArrayList<>(sessions);
        others.remove(session);
        return read(storage, source, session, worker, others, sortedWorkers.subList(1, sortedWorkers.size()));
    }

    /**
     * @param storage a storage
     * @return the sessions holding StatsListener updates, newest first (by their first update's time stamp)
     */
    public static List<String> recordedSessions(StatsStorage storage) {
        List<String> sessions = new ArrayList<>();
        Map<String, Long> started = new java.util.HashMap<>();
        for (String s : storage.listSessionIDs()) {
            if (!storage.listTypeIDsForSession(s).contains(StatsListener.TYPE_ID)) {
                continue;
            }
            long first = Long.MAX_VALUE;
            boolean any = false;
            for (String w : storage.listWorkerIDsForSessionAndType(s, StatsListener.TYPE_ID)) {
                if (storage.getNumUpdateRecordsFor(s, StatsListener.TYPE_ID, w) > 0) {
                    any = true;
                    Persistable p = storage.getStaticInfo(s, StatsListener.TYPE_ID, w);
                    first = Math.min(first, p == null ? Long.MAX_VALUE : p.getTimeStamp());
                }
            }
            if (any) {
                sessions.add(s);
                started.put(s, first);
            }
        }
        sessions.sort(Comparator.comparing((String s) -> started.get(s)).reversed());
        return sessions;
    }

    private static RecordedRun read(StatsStorage storage, String source, String session, String worker,
                                    List<String> others, List<String> otherWorkers) {
        List<RecordedReport> reports = new ArrayList<>();
        int foreign = 0;
        for (Persistable p : storage.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, Long.MIN_VALUE)) {
            if (p instanceof StatsReport r) {
                reports.add(report(r));
            } else {
                foreign++;
            }
        }
        if (reports.isEmpty()) {
            throw new RecordedRunException(source + " session '" + session + "' holds no StatsListener reports"
                    + (foreign > 0 ? " (" + foreign + " records of other classes under its type ID)" : "") + "; "
                    + EXPECTED);
        }
        reports.sort(Comparator.comparingLong(RecordedReport::iteration)
                .thenComparingLong(RecordedReport::timestamp));
        Persistable init = storage.getStaticInfo(session, StatsListener.TYPE_ID, worker);
        String modelClass = "";
        List<LayerInfo> layers = List.of();
        NetworkFacts facts = NetworkFacts.unknown();
        String note;
        if (init instanceof StatsInitializationReport ir && ir.hasModelInfo()) {
            modelClass = ir.getModelClassName() == null ? "" : ir.getModelClassName();
            try {
                Rebuilt rebuilt = rebuilt(modelClass, ir.getModelConfigJson());
                layers = rebuilt.layers();
                facts = rebuilt.facts();
                note = "";
            } catch (RuntimeException e) {
                note = "the network configuration StatsListener stored could not be rebuilt (" + oneLine(e)
                        + "): layers are named by StatsListener's keys and the gradient-norm checks are skipped";
            }
        } else {
            note = "StatsListener stored no model information (StatsInitializationConfiguration without model "
                    + "info): layers are named by StatsListener's keys and the gradient-norm checks are skipped";
        }
        return new RecordedRun(source, session, worker, modelClass, layers, facts, note, others, otherWorkers,
                reports);
    }

    /** What the rebuilt network says, kept for the last few configurations: a live UI re-reads a growing run. */
    private record Rebuilt(List<LayerInfo> layers, NetworkFacts facts) {
    }

    private static final int REBUILT_CACHE = 4;
    private static final Map<String, Rebuilt> REBUILT = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Rebuilt> eldest) {
                    return size() > REBUILT_CACHE;
                }
            });

    private static Rebuilt rebuilt(String modelClass, String json) {
        String key = modelClass + '\n' + json;
        Rebuilt r = REBUILT.get(key);
        if (r == null) {
            ModelView view = ModelView.of(rebuild(modelClass, json));
            r = new Rebuilt(view.layers(), NetworkFactsReader.read(view));
            REBUILT.put(key, r);
        }
        return r;
    }

    private static Model rebuild(String modelClass, String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("no configuration JSON was stored");
        }
        if (modelClass.endsWith("MultiLayerNetwork")) {
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
            net.init();
            return net;
        }
        if (modelClass.endsWith("ComputationGraph")) {
            ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
            graph.init();
            return graph;
        }
        throw new IllegalArgumentException("model class " + modelClass + " is neither a MultiLayerNetwork nor a "
                + "ComputationGraph");
    }

    private static RecordedReport report(StatsReport r) {
        long examples = 0;
        long minibatches = 0;
        if (r.hasPerformance()) {
            examples = r.getTotalExamples();
            minibatches = r.getTotalMinibatches();
        }
        return new RecordedReport(r.getIterationCount(), r.getTimeStamp(), r.hasScore() ? r.getScore() : Double.NaN,
                magnitudes(r, StatsType.Parameters), magnitudes(r, StatsType.Gradients),
                magnitudes(r, StatsType.Updates), r.hasLearningRates() ? r.getLearningRates() : Map.of(),
                r.hasSummaryStats(StatsType.Activations, SummaryType.Mean) ? r.getMean(StatsType.Activations)
                        : Map.of(),
                r.hasSummaryStats(StatsType.Activations, SummaryType.Stdev) ? r.getStdev(StatsType.Activations)
                        : Map.of(),
                magnitudes(r, StatsType.Activations), Math.max(0, examples), Math.max(0, minibatches));
    }

    private static Map<String, Double> magnitudes(StatsReport r, StatsType type) {
        return r.hasSummaryStats(type, SummaryType.MeanMagnitudes) ? r.getMeanMagnitudes(type) : Map.of();
    }

    private static String describeSessions(StatsStorage storage) {
        List<String> parts = new ArrayList<>();
        for (String s : storage.listSessionIDs()) {
            parts.add(s + " " + storage.listTypeIDsForSession(s));
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
