package io.dl4jdebug.ui;

import io.dl4jdebug.ui.recorded.RecordedSessions;
import io.dl4jdebug.ui.recorded.RecordedView;
import io.dl4jdebug.ui.storage.RecordKind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The Debug page of the DL4J training UI and its JSON endpoints. Loaded by the UI server through
 * {@code META-INF/services/org.deeplearning4j.ui.api.UIModule}; reads dl4j-debug records from every attached
 * {@code StatsStorage} (in memory, file, or the remote receiver's) when a page or endpoint asks, so it is live while
 * training runs and works the same on a finished or killed run's file.
 *
 * <p>A session that only DL4J's {@code StatsListener} recorded (no dl4j-debug listener attached during training) is
 * shown with the diagnosis derived from its statistics ({@link RecordedSessions}, {@code RecordedDiagnosis}): its
 * entries carry {@code "recordedByStatsListener"}, in the session JSON an object with the checks that ran, those the
 * statistics could not support and those that need dl4j-debug attached during training.
 *
 * <p>Paths (stable):
 * <ul>
 *   <li>{@code GET /debug}: the page ({@code ?session=ID&worker=ID} to choose; the newest session by default);</li>
 *   <li>{@code GET /debug/api/sessions}: the sessions with dl4j-debug records, newest first, with their workers;</li>
 *   <li>{@code GET /debug/api/sessions/:sessionId}: everything the page draws ({@code ?worker=ID});</li>
 *   <li>{@code GET /debug/api/sessions/:sessionId/:section}: one section: incidents, dismissed, findings,
 *       nonFinite, gradients, activations, loss, fitting, checklist.</li>
 * </ul>
 * Unknown sessions, workers and sections get 404 with a JSON error naming what is valid; failures get 500 with a
 * one-line JSON error (details in the server log), never a stack trace. The page's scripts, styles and the charting
 * library are served by the UI's own asset route under {@code /assets/dl4jdebug/}. Thread safe.
 */
public final class DebugModule implements UIModule {

    /** Path of the Debug page. */
    public static final String PAGE_PATH = "/debug";
    /** Prefix of the JSON endpoints. */
    public static final String API_PATH = "/debug/api";

    private static final Logger LOG = LoggerFactory.getLogger(DebugModule.class);
    private static final String PAGE_RESOURCE = "deeplearning4jUiAssets/dl4jdebug/debug.html";

    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final Map<CacheKey, SessionRecords> cache = new ConcurrentHashMap<>();
    private final RecordedSessions recorded = new RecordedSessions();
    private volatile byte[] page;

    /** Created by the UI server's service loader. */
    public DebugModule() {
    }

    @Override
    public List<String> getCallbackTypeIDs() {
        // Pull model: the module reads the attached storages when asked; no events needed.
        return List.of();
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(
                route(PAGE_PATH, (p, rc) -> page(rc)),
                route(API_PATH + "/sessions", (p, rc) -> json(rc, 200, sessions())),
                route(API_PATH + "/sessions/:sessionId", (p, rc) -> session(rc, p.get(0), null)),
                route(API_PATH + "/sessions/:sessionId/:section", (p, rc) -> session(rc, p.get(0), p.get(1))));
    }

    private static Route route(String path, BiConsumer<List<String>, RoutingContext> handler) {
        return new Route(path, HttpMethod.GET, (params, rc) -> {
            try {
                handler.accept(params, rc);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("dl4j-debug UI request {} failed", rc.request().path(), e);
                if (!rc.response().ended()) {
                    json(rc, 500, new JsonObject().put("error", "internal error while serving "
                            + rc.request().path() + ": " + e.getClass().getSimpleName() + " (see the server log)"));
                }
            }
        });
    }

    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {
        // Pull model: nothing to do.
    }

    @Override
    public void onAttach(StatsStorage statsStorage) {
        if (!storages.contains(statsStorage)) {
            storages.add(statsStorage);
        }
    }

    @Override
    public void onDetach(StatsStorage statsStorage) {
        storages.remove(statsStorage);
        cache.keySet().removeIf(k -> k.storage() == statsStorage);
        recorded.forget(statsStorage);
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }

    // ---- handlers

    private void page(RoutingContext rc) {
        byte[] html = page;
        if (html == null) {
            try (InputStream in = DebugModule.class.getClassLoader().getResourceAsStream(PAGE_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + PAGE_RESOURCE + " is missing from the classpath");
                }
                html = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + PAGE_RESOURCE, e);
            }
            page = html;
        }
        rc.response().putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(html));
    }

    private JsonObject sessions() {
        List<JsonObject> list = new ArrayList<>();
        for (StatsStorage storage : storages) {
            for (String sessionId : storage.listSessionIDs()) {
                Source source = source(storage, sessionId);
                if (source == null) {
                    continue;
                }
                OptionalLong start = records(source, sessionId, source.workers().get(0)).startTime();
                list.add(new JsonObject()
                        .put("id", sessionId)
                        .put("workers", new JsonArray(new ArrayList<>(source.workers())))
                        .put("startTime", start.isPresent() ? start.getAsLong() : null)
                        .put("hasTrainingStats", storage.listTypeIDsForSession(sessionId)
                                .contains(StatsListener.TYPE_ID))
                        .put("recordedByStatsListener", source.derived() != null));
            }
        }
        list.sort(Comparator.comparingLong((JsonObject o) -> o.getLong("startTime") == null ? Long.MIN_VALUE
                : o.getLong("startTime")).reversed());
        return new JsonObject()
                .put("multiSession", isMultiSession())
                .put("sessions", new JsonArray(new ArrayList<>(list)));
    }

    private void session(RoutingContext rc, String sessionId, String section) {
        StatsStorage storage = null;
        Source source = null;
        List<String> workers = List.of();
        for (StatsStorage s : storages) {
            if (s.listSessionIDs().contains(sessionId)) {
                source = source(s, sessionId);
                if (source != null) {
                    storage = s;
                    workers = source.workers();
                    break;
                }
            }
        }
        if (storage == null) {
            json(rc, 404, new JsonObject().put("error", "unknown session ID '" + sessionId
                    + "': no dl4j-debug records for it in the attached storages; see " + API_PATH + "/sessions"));
            return;
        }
        if (section != null && !DebugView.sectionNames().contains(section)) {
            json(rc, 404, new JsonObject().put("error", "unknown section '" + section + "'; valid: "
                    + String.join(", ", DebugView.sectionNames())));
            return;
        }
        String worker = rc.request().getParam("worker");
        if (worker == null || worker.isEmpty()) {
            worker = workers.get(0);
        } else if (!workers.contains(worker)) {
            json(rc, 404, new JsonObject().put("error", "unknown worker ID '" + worker + "' for session '"
                    + sessionId + "'; valid: " + String.join(", ", workers)));
            return;
        }
        SessionRecords records = records(source, sessionId, worker);
        records.refresh();
        if (section != null) {
            json(rc, 200, new JsonObject().put(section, DebugView.section(records, section)));
            return;
        }
        JsonObject view = DebugView.build(records);
        OptionalLong last = records.lastTimestamp();
        OptionalLong start = records.startTime();
        JsonObject out = new JsonObject()
                .put("sessionId", sessionId)
                .put("workerId", worker)
                .put("workers", new JsonArray(new ArrayList<>(workers)))
                .put("startTime", start.isPresent() ? start.getAsLong() : null)
                .put("lastTimestamp", last.isPresent() ? last.getAsLong() : null)
                .put("hasTrainingStats", storage.listTypeIDsForSession(sessionId).contains(StatsListener.TYPE_ID))
                .put("multiSession", isMultiSession())
                .put("recordedByStatsListener", source.derived() == null ? null
                        : RecordedView.of(source.derived().diagnosis()));
        view.forEach(e -> out.put(e.getKey(), e.getValue()));
        json(rc, 200, out);
    }

    // ---- helpers

    /**
     * Where a session's dl4j-debug records are read from: the attached storage itself, or, for a session only DL4J's
     * StatsListener recorded, the records derived from its statistics.
     *
     * @param records the storage holding the records
     * @param workers their worker IDs, at least one
     * @param derived the derivation, null when the records are the attached storage's own
     */
    private record Source(StatsStorage records, List<String> workers, RecordedSessions.Derived derived) {
    }

    /** @return the session's records, or null when it has neither dl4j-debug nor StatsListener records */
    private Source source(StatsStorage storage, String sessionId) {
        List<String> workers = workers(storage, sessionId);
        if (!workers.isEmpty()) {
            return new Source(storage, workers, null);
        }
        RecordedSessions.Derived d = recorded.derived(storage, sessionId).orElse(null);
        if (d == null) {
            return null;
        }
        List<String> derivedWorkers = workers(d.storage(), sessionId);
        return derivedWorkers.isEmpty() ? null : new Source(d.storage(), derivedWorkers, d);
    }

    private static List<String> workers(StatsStorage storage, String sessionId) {
        TreeSet<String> workers = new TreeSet<>();
        List<String> types = storage.listTypeIDsForSession(sessionId);
        for (RecordKind kind : RecordKind.values()) {
            if (types.contains(kind.typeId())) {
                workers.addAll(storage.listWorkerIDsForSessionAndType(sessionId, kind.typeId()));
            }
        }
        return new ArrayList<>(workers);
    }

    /** Derived records live in memory and are replaced when the recording grows: read afresh, never cached. */
    private SessionRecords records(Source source, String sessionId, String workerId) {
        return source.derived() == null ? records(source.records(), sessionId, workerId)
                : new SessionRecords(source.records(), sessionId, workerId);
    }

    private SessionRecords records(StatsStorage storage, String sessionId, String workerId) {
        return cache.computeIfAbsent(new CacheKey(storage, sessionId, workerId),
                k -> new SessionRecords(storage, sessionId, workerId));
    }

    /** One session and worker in one storage; storages compare by identity (they do not override equals). */
    private record CacheKey(StatsStorage storage, String sessionId, String workerId) {
    }

    private static boolean isMultiSession() {
        VertxUIServer server = VertxUIServer.getInstance();
        return server != null && server.isMultiSession();
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        HttpServerResponse r = rc.response();
        r.setStatusCode(status)
                .putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store")
                .end(Objects.requireNonNull(body).encode());
    }
}
