package io.dl4jdebug.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dl4jdebug.config.ConfigChange;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Diagnostician;
import io.dl4jdebug.diagnose.Dismissal;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.LossSummary;
import io.dl4jdebug.diagnose.NetworkFacts;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.EpochSnapshot;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ScoreSnapshot;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import io.dl4jdebug.diagnose.ChecklistItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes the JSON report ({@code "schema": "dl4j-debug-report/2"}, documented in {@code docs/report.md}): the
 * model, the iteration and epoch counts, the checklist, the diagnosis' incidents (root cause, consequences, fix,
 * verification), the findings ordered as the incidents are (each with its {@code incident} id and {@code role}), and
 * the dismissed findings with the reason.
 *
 * <p>The file is (re)written at the end of every epoch, at once when a NaN/Inf finding arrives (so that a run
 * stopped or killed by the NaN policy leaves a report), on {@link #close()}, and from a JVM shutdown hook if the JVM
 * exits before {@code close()}. Each write goes to a temporary file that is then moved over the report, so a reader
 * never sees half a file. Thread safe.
 *
 * <p>The sink only formats what it received: the diagnosis is the one its owner pushed through
 * {@link #onDiagnosis(Diagnosis)}. An owner that computes the diagnosis ({@code DebugSuite}: once per event, an epoch's
 * end or a NaN/Inf finding) calls {@link #writtenByOwner()} and then writes the report itself after each push
 * ({@link #writeOrCount(String)}), so that the file always holds that event's diagnosis. Only when findings arrived that
 * no pushed diagnosis covers (a sink used on its own, or a JVM shutdown between two events) does the sink diagnose the
 * findings it received itself, without the network's configuration facts.
 */
public final class JsonReportSink implements DebugSink, AutoCloseable {

    /** The schema identifier written in every report. */
    public static final String SCHEMA = "dl4j-debug-report/2";

    private static final Logger LOG = LoggerFactory.getLogger(JsonReportSink.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final List<Finding> findings = new ArrayList<>();
    private ObjectNode model;
    private final List<ChecklistItem> checklist = new ArrayList<>();
    private List<ConfigChange> debugConfiguration = List.of();
    private Supplier<String> fittingStatus;
    /** The newest diagnosis pushed by the owner, null before the first. */
    private Diagnosis diagnosis;
    /** How many of {@link #findings} the pushed diagnosis was computed after (it covers those). */
    private int findingsCovered;
    private NonFiniteEvent nonFinite;
    private EpochSnapshot lastEpoch;
    private long iterations;
    private int epochs;
    private final BoundedShutdownHook shutdownHook;
    /** Held while the file is written, so that the shutdown hook can wait for a write in flight. */
    private final Object fileLock = new Object();
    private volatile boolean closed;
    /** True when the owner writes at epoch ends and NaN/Inf findings (after pushing the diagnosis). */
    private boolean ownerWrites;
    private boolean writeFailureReported;
    private FailureTally failures;

    /**
     * Creates the sink and registers its shutdown hook.
     *
     * @param file where the report goes (its parent directory is created when missing)
     */
    public JsonReportSink(Path file) {
        this.file = Objects.requireNonNull(file, "report file must not be null").toAbsolutePath();
        this.model = MAPPER.createObjectNode();
        this.shutdownHook = BoundedShutdownHook.register("dl4j-debug-report-shutdown",
                BoundedShutdownHook.DEFAULT_LIMIT, this::onShutdown);
    }

    /**
     * Leaves the writes at an epoch's end and at a NaN/Inf finding to the owner, which pushes its diagnosis first and
     * then calls {@link #writeOrCount(String)}; the writes at close, at JVM shutdown and {@link #writeNow} stay.
     *
     * @return this sink
     */
    public synchronized JsonReportSink writtenByOwner() {
        this.ownerWrites = true;
        return this;
    }

    /** @return where the report is written */
    public Path file() {
        return file;
    }

    /**
     * Describes the network in the report's {@code "model"} object.
     *
     * @param view the network's view
     * @return this sink
     */
    public synchronized JsonReportSink model(ModelView view) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("type", view.kind().name());
        m.put("parameters", view.numParams());
        ArrayNode layers = m.putArray("layers");
        for (LayerInfo l : view.layers()) {
            ObjectNode layer = layers.addObject();
            layer.put("name", l.name());
            layer.put("type", l.type());
            layer.put("activation", l.activation());
            layer.put("output", l.outputLayer());
            long count = 0;
            ArrayNode params = layer.putArray("parameters");
            for (ParameterInfo p : l.parameters()) {
                ObjectNode pn = params.addObject();
                pn.put("key", p.key());
                pn.put("role", p.role().name());
                pn.put("length", p.length());
                count += p.length();
            }
            layer.put("parameterCount", count);
        }
        this.model = m;
        return this;
    }

    /**
     * @param items the quick checklist's results, written as {@code "checklist"} (after any already received)
     * @return this sink
     */
    public synchronized JsonReportSink checklist(List<ChecklistItem> items) {
        Objects.requireNonNull(items, "checklist must not be null").forEach(this::onChecklist);
        return this;
    }

    /**
     * @param changes what {@code Dl4jDebug.attach} changed on the network and in ND4J's settings, written as
     *                {@code "debugConfiguration"}
     * @return this sink
     */
    public synchronized JsonReportSink debugConfiguration(List<ConfigChange> changes) {
        this.debugConfiguration = List.copyOf(Objects.requireNonNull(changes, "changes must not be null"));
        return this;
    }

    @Override
    public synchronized void onChecklist(ChecklistItem item) {
        checklist.add(Objects.requireNonNull(item, "item must not be null"));
    }

    /**
     * @param status supplies the latest fitting verdict (e.g. {@code RuleEngine::fittingStatus}), written as
     *               {@code "fitting"}
     * @return this sink
     */
    public synchronized JsonReportSink fittingStatus(Supplier<?> status) {
        Objects.requireNonNull(status, "status must not be null");
        this.fittingStatus = () -> String.valueOf(status.get());
        return this;
    }

    /**
     * Keeps the newest diagnosis (written as {@code "incidents"} and used to order {@code "findings"}) for the next
     * write; writes nothing itself. It covers the findings received so far.
     *
     * @param diagnosis the owner's newest diagnosis (e.g. the suite's at an epoch's end, or a verified one)
     */
    @Override
    public synchronized void onDiagnosis(Diagnosis diagnosis) {
        this.diagnosis = Objects.requireNonNull(diagnosis, "diagnosis must not be null");
        this.findingsCovered = findings.size();
    }

    /**
     * @param tally the failures written as {@code "failures"} (name, count, first failure); this sink's own write
     *              failures are counted there too
     * @return this sink
     */
    public synchronized JsonReportSink failures(FailureTally tally) {
        this.failures = Objects.requireNonNull(tally, "tally must not be null");
        return this;
    }

    @Override
    public synchronized void onGradients(GradientSnapshot snapshot) {
        seen(snapshot.iteration());
    }

    @Override
    public synchronized void onActivations(ActivationSnapshot snapshot) {
        seen(snapshot.iteration());
    }

    @Override
    public synchronized void onScore(ScoreSnapshot snapshot) {
        seen(snapshot.iteration());
    }

    @Override
    public void onEpoch(EpochSnapshot snapshot) {
        boolean self;
        synchronized (this) {
            seen(snapshot.iteration());
            epochs = Math.max(epochs, snapshot.epoch() + 1);
            lastEpoch = snapshot;
            self = !ownerWrites;
        }
        if (self) {
            writeOrCount("epoch-end");
        }
    }

    @Override
    public synchronized void onNonFinite(NonFiniteEvent event) {
        if (nonFinite == null) {
            nonFinite = event;
        }
        seen(event.iteration());
    }

    @Override
    public void onFinding(Finding finding) {
        boolean self;
        synchronized (this) {
            findings.add(finding);
            self = !ownerWrites;
        }
        if (self && isNonFinite(finding)) {
            writeOrCount("non-finite");
        }
    }

    /**
     * @param finding a finding
     * @return whether it reports a NaN/Inf (in the network or its input): the report is written at once for it
     */
    public static boolean isNonFinite(Finding finding) {
        return finding.symptom() == Symptom.NON_FINITE || finding.symptom() == Symptom.DATA_NON_FINITE;
    }

    private void seen(long iteration) {
        iterations = Math.max(iterations, iteration + 1);
    }

    /**
     * @return the diagnosis the report writes: the one pushed last, or, when findings arrived that it does not cover
     *         (or none was pushed), the received findings diagnosed here without configuration facts
     */
    public Diagnosis currentDiagnosis() {
        List<Finding> received;
        synchronized (this) {
            if (diagnosis != null && findingsCovered == findings.size()) {
                return diagnosis;
            }
            received = List.copyOf(findings);
        }
        return Diagnostician.diagnose(received, NetworkFacts.unknown(), LossSummary.none());
    }

    /** @return the findings shown by the diagnosis, ordered as its incidents (each root first, then consequences) */
    public List<Finding> orderedFindings() {
        return currentDiagnosis().orderedFindings().stream().map(Diagnosis.Placed::finding).toList();
    }

    /**
     * @param reason why the report is produced ("epoch-end", "non-finite", "close", "shutdown", ...)
     * @return the report as a JSON tree
     */
    public ObjectNode toJson(String reason) {
        Diagnosis d = currentDiagnosis();
        Supplier<String> fitting;
        synchronized (this) {
            fitting = fittingStatus;
        }
        String status = fitting == null ? null : fitting.get();
        return toJson(reason, d, status);
    }

    private synchronized ObjectNode toJson(String reason, Diagnosis d, String status) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("generatedAt", Instant.now().toString());
        root.put("reason", reason);
        root.set("model", model.deepCopy());
        root.put("iterations", iterations);
        root.put("epochs", epochs);
        ArrayNode config = root.putArray("debugConfiguration");
        for (ConfigChange c : debugConfiguration) {
            ObjectNode n = config.addObject();
            n.put("setting", c.setting());
            n.put("oldValue", c.oldValue());
            n.put("newValue", c.newValue());
            ArrayNode layers = n.putArray("layers");
            c.layers().forEach(layers::add);
            n.put("changesMath", c.changesMath());
            n.put("restoredOnClose", c.restored());
            n.put("switchOff", "DebugConfig.builder()." + c.switchOff());
        }
        ArrayNode items = root.putArray("checklist");
        for (ChecklistItem c : checklist) {
            ObjectNode n = items.addObject();
            n.put("id", c.id());
            n.put("level", c.level().name());
            n.put("status", c.status().name());
            n.put("message", c.message());
            evidence(n.putObject("evidence"), c.evidence());
        }
        ReportJson.incidents(root.putArray("incidents"), d);
        ArrayNode list = root.putArray("findings");
        for (Diagnosis.Placed p : d.orderedFindings()) {
            ObjectNode n = ReportJson.finding(list.addObject(), p.finding());
            n.put("incident", p.incident());
            n.put("role", p.role().name());
            ArrayNode layers = n.putArray("layers");
            p.layers().forEach(layers::add);
        }
        ArrayNode dismissed = root.putArray("dismissed");
        for (Dismissal x : d.dismissed()) {
            ReportJson.finding(dismissed.addObject(), x.finding()).put("dismissedBecause", x.reason());
        }
        if (status != null || lastEpoch != null) {
            ObjectNode fit = root.putObject("fitting");
            if (status != null) {
                fit.put("status", status);
            }
            if (lastEpoch != null) {
                fit.put("epoch", lastEpoch.epoch());
                fit.put("trainLoss", lastEpoch.trainLoss());
                if (lastEpoch.validationMeasured()) {
                    fit.put("validationLoss", lastEpoch.validationLoss());
                    fit.put("gap", lastEpoch.gap());
                }
            }
        }
        ArrayNode failed = root.putArray("failures");
        if (failures != null) {
            for (FailureTally.Failure f : failures.failures()) {
                ObjectNode n = failed.addObject();
                n.put("name", f.name());
                n.put("count", f.count());
                n.put("firstWhere", f.firstWhere());
                n.put("firstMessage", f.firstMessage());
            }
        }
        if (nonFinite != null) {
            ObjectNode nf = root.putObject("nonFinite");
            nf.put("iteration", nonFinite.iteration());
            nf.put("epoch", nonFinite.epoch());
            nf.put("kind", nonFinite.kind().name());
            nf.put("layer", nonFinite.layer());
            nf.put("parameter", nonFinite.parameter());
            nf.put("count", nonFinite.count());
            nf.put("total", nonFinite.total());
            nonFinite.workerId().ifPresent(w -> nf.put("worker", w));
        }
        return root;
    }

    private static void evidence(ObjectNode target, Map<String, Double> evidence) {
        ReportJson.evidence(target, evidence);
    }

    /**
     * Writes the report now.
     *
     * @param reason recorded in the report's {@code "reason"}
     * @throws UncheckedIOException when the file cannot be written (naming it)
     */
    public void writeNow(String reason) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(toJson(reason));
        } catch (IOException e) {
            throw new UncheckedIOException("could not format the dl4j-debug report", e);
        }
        synchronized (fileLock) {
            try {
                Path dir = file.getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the dl4j-debug report to " + file
                        + ": check that the directory is writable or choose another path", e);
            }
        }
    }

    /**
     * Writes the report now; a failure is not thrown but counted in the failure tally (and logged once), so that
     * training goes on.
     *
     * @param reason recorded in the report's {@code "reason"}
     */
    public void writeOrCount(String reason) {
        try {
            writeNow(reason);
        } catch (UncheckedIOException e) {
            synchronized (this) {
                boolean first = failures != null ? failures.record("JSON report " + file, reason, e.getCause())
                        : !writeFailureReported;
                writeFailureReported = true;
                if (!first) {
                    LOG.debug("dl4j-debug report failed again", e);
                    return;
                }
            }
            // An unwritable file is the user's to fix, not a bug: one line, the stack trace only at DEBUG.
            LOG.warn("{} ({}); training goes on. Later failures are logged at DEBUG and counted at close.",
                    e.getMessage(), e.getCause());
            LOG.debug("the report's write failure", e);
        }
    }

    /**
     * At JVM shutdown (bounded by {@link BoundedShutdownHook}): writes the report with the reason "shutdown" unless
     * {@link #close()} already began, in which case it only waits for that write to finish (one report, never a
     * half-written temporary file left behind by the JVM's exit).
     */
    private void onShutdown() {
        if (closed) {
            synchronized (fileLock) {
                return;
            }
        }
        writeOrCount("shutdown");
    }

    /**
     * Writes the final report and removes the shutdown hook. Idempotent.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        shutdownHook.remove();
        writeNow("close");
    }
}
