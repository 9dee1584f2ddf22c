package io.dl4jdebug.ui.recorded;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The part of the Debug page's session JSON that says a session was diagnosed from DL4J's StatsListener recording:
 * {@code {"source": ..., "reports": N, "reportingFrequency": F, "lastIteration": I, "model": "...",
 * "checks": [{"name", "ran", "detail"}], "needsDl4jDebug": [...]}}. Stateless.
 */
public final class RecordedView {

    private RecordedView() {
    }

    /**
     * @param d a recorded run's diagnosis
     * @return its JSON object
     */
    public static JsonObject of(RecordedDiagnosis d) {
        JsonArray checks = new JsonArray();
        for (RecordedCheck c : d.checks()) {
            checks.add(new JsonObject().put("name", c.name()).put("ran", c.ran()).put("detail", c.detail()));
        }
        RecordedRun run = d.run();
        return new JsonObject()
                .put("source", "diagnosed from DL4J's StatsListener statistics (no dl4j-debug listener was "
                        + "attached during training)")
                .put("reports", run.reports().size())
                .put("reportingFrequency", run.reportingFrequency())
                .put("lastIteration", run.lastIteration())
                .put("model", run.modelClass())
                .put("modelNote", run.modelNote())
                .put("checks", checks)
                .put("needsDl4jDebug", new JsonArray(new java.util.ArrayList<>(RecordedDiagnosis.NEEDS_DL4J_DEBUG)));
    }
}
