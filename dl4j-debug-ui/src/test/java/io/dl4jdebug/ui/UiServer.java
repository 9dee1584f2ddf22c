package io.dl4jdebug.ui;

import io.vertx.core.json.JsonObject;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** The DL4J UI server on a free loopback port, in this JVM, with a small HTTP client. Stop it after the test class. */
final class UiServer implements AutoCloseable {

    private final UIServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private UiServer(UIServer server) {
        this.server = server;
    }

    static UiServer start() {
        return new UiServer(VertxUIServer.getInstance(0, false, null));
    }

    static UiServer attachTo(UIServer server) {
        return new UiServer(server);
    }

    UIServer server() {
        return server;
    }

    String base() {
        return "http://localhost:" + server.getPort();
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    JsonObject json(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return new JsonObject(r.body());
    }

    JsonObject session(String sessionId) {
        return json("/debug/api/sessions/" + enc(sessionId));
    }

    /** Polls a session's JSON until the condition holds, at most {@code seconds}; returns the last JSON. */
    JsonObject awaitSession(String sessionId, Predicate<JsonObject> condition, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonObject last = null;
        String lastError = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("/debug/api/sessions/" + enc(sessionId));
            if (r.statusCode() == 200) {
                last = new JsonObject(r.body());
                if (condition.test(last)) {
                    return last;
                }
            } else {
                lastError = r.statusCode() + " " + r.body();
            }
            pause();
        }
        throw new AssertionError("session " + sessionId + " did not reach the expected state within " + seconds
                + " s; last: " + (last != null ? last.encode() : lastError));
    }

    /**
     * Polls a path until its body satisfies the condition, at most {@code seconds} (DL4J's UI handles storage
     * events on its own thread, so e.g. its current session is set a moment after the storage is attached).
     *
     * @return the last body
     */
    String awaitBody(String path, Predicate<String> condition, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(path);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && condition.test(r.body())) {
                return r.body();
            }
            pause();
        }
        throw new AssertionError("GET " + path + " did not reach the expected state within " + seconds
                + " s; last: " + last);
    }

    /** Back-off between two polls of a bounded wait. */
    static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        if (Thread.interrupted()) {
            throw new IllegalStateException("interrupted while waiting");
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return the strings of a JSON array */
    static java.util.List<String> strings(io.vertx.core.json.JsonArray array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(o -> out.add((String) o));
        return out;
    }

    @Override
    public void close() {
        try {
            VertxUIServer.stopInstance();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the UI server", e);
        }
    }
}
