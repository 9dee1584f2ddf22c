package io.dl4jdebug.ui;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.diagnose.ChecklistItem;
import io.dl4jdebug.ui.storage.FittingVerdict;
import io.dl4jdebug.ui.storage.LossPoint;
import io.dl4jdebug.ui.storage.RecordKind;
import io.dl4jdebug.ui.storage.StoredDiagnosis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the stored records of one session and worker into the JSON the Debug page draws. Only formats what was stored:
 * a kind with no records gives an empty section. Numbers that are NaN or infinite are written as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (JSON has no such numbers); {@code null} means "not measured".
 * Stateless.
 */
final class DebugView {

    /** The sections of the session JSON, in order, each also served on its own: name and how it is built. */
    private static final Map<String, Function<SessionRecords, Object>> SECTIONS = sections();

    /** Most iterations shown in the gradient heatmap and ratio chart; older columns are thinned evenly. */
    static final int MAX_COLUMNS = 300;
    /** Most loss points per split. */
    static final int MAX_LOSS_POINTS = 2000;

    private DebugView() {
    }

    private static Map<String, Function<SessionRecords, Object>> sections() {
        Map<String, Function<SessionRecords, Object>> s = new LinkedHashMap<>();
        s.put("incidents", r -> incidents(latest(r.payloads(RecordKind.DIAGNOSIS, StoredDiagnosis.class))));
        s.put("dismissed", r -> dismissed(latest(r.payloads(RecordKind.DIAGNOSIS, StoredDiagnosis.class))));
        s.put("findings", r -> findings(r.payloads(RecordKind.FINDING, Finding.class)));
        s.put("nonFinite", r -> nonFinite(r.payloads(RecordKind.NON_FINITE, NonFiniteEvent.class)));
        s.put("gradients", r -> gradients(r.payloads(RecordKind.GRADIENTS, GradientSnapshot.class)));
        s.put("activations", r -> activations(r.payloads(RecordKind.ACTIVATIONS, ActivationSnapshot.class)));
        s.put("loss", r -> loss(r.payloads(RecordKind.LOSS, LossPoint.class)));
        s.put("fitting", r -> fitting(r.payloads(RecordKind.FITTING, FittingVerdict.class)));
        s.put("checklist", r -> checklist(r.payloads(RecordKind.CHECKLIST, ChecklistItem.class)));
        return java.util.Collections.unmodifiableMap(s);
    }

    /** @return the section names, in the order of the session JSON */
    static Set<String> sectionNames() {
        return SECTIONS.keySet();
    }

    static JsonObject build(SessionRecords records) {
        JsonObject out = new JsonObject();
        SECTIONS.forEach((name, section) -> out.put(name, section.apply(records)));
        return out;
    }

    /**
     * @param records the session's records
     * @param name    one of {@link #sectionNames()}
     * @return that section alone
     */
    static Object section(SessionRecords records, String name) {
        return SECTIONS.get(name).apply(records);
    }

    private static StoredDiagnosis latest(List<StoredDiagnosis> diagnoses) {
        return diagnoses.isEmpty() ? null : diagnoses.get(diagnoses.size() - 1);
    }

    /**
     * The incidents of the newest stored diagnosis, in its order (root cause first; the page never re-sorts them).
     *
     * @param diagnosis the newest stored diagnosis, null when none was stored (a file written before diagnoses)
     * @return one object per incident; null when no diagnosis was stored, so that the page falls back to the findings
     */
    static JsonArray incidents(StoredDiagnosis diagnosis) {
        if (diagnosis == null) {
            return null;
        }
        JsonArray out = new JsonArray();
        for (StoredDiagnosis.Incident i : diagnosis.incidents()) {
            JsonArray explains = new JsonArray();
            for (StoredDiagnosis.Group g : i.consequences()) {
                explains.add(new JsonObject()
                        .put("symptom", g.symptom())
                        .put("severity", g.severity())
                        .put("firstIteration", g.firstIteration())
                        .put("layers", strings(g.layers()))
                        .put("findings", g.findings())
                        .put("summary", g.summary()));
            }
            out.add(new JsonObject()
                    .put("id", i.id())
                    .put("symptom", i.symptom())
                    .put("severity", i.severity())
                    .put("level", i.level())
                    .put("loud", i.loud())
                    .put("layers", strings(i.layers()))
                    .put("firstIteration", i.firstIteration())
                    .put("message", i.message())
                    .put("fix", strings(i.fix()))
                    .put("verification", verification(i.verification()))
                    .put("explains", explains));
        }
        return out;
    }

    private static JsonObject verification(StoredDiagnosis.Trial t) {
        if (t == null) {
            return null;
        }
        return new JsonObject()
                .put("confirmed", t.confirmed())
                .put("summary", t.summary())
                .put("remedy", t.remedy())
                .put("iterations", t.iterations())
                .put("baselineLossBefore", number(t.baselineBefore()))
                .put("baselineLossAfter", number(t.baselineAfter()))
                .put("fixedLossBefore", number(t.fixedBefore()))
                .put("fixedLossAfter", number(t.fixedAfter()))
                .put("gone", strings(t.gone()))
                .put("left", strings(t.left()))
                .put("metric", t.metric())
                .put("examples", t.examples())
                .put("baselineMetric", numbers(t.baselineMetric()))
                .put("fixedMetric", number(t.fixedMetric()))
                .put("spread", number(t.spread()))
                .put("margin", number(t.margin()))
                .put("required", number(t.required()));
    }

    /**
     * @param diagnosis the newest stored diagnosis, null when none was stored
     * @return the findings it dismissed, with the reasons; null when no diagnosis was stored
     */
    static JsonArray dismissed(StoredDiagnosis diagnosis) {
        if (diagnosis == null) {
            return null;
        }
        JsonArray out = new JsonArray();
        for (StoredDiagnosis.Dismissed d : diagnosis.dismissed()) {
            out.add(new JsonObject()
                    .put("symptom", d.symptom())
                    .put("severity", d.severity())
                    .put("level", d.level())
                    .put("layer", d.layer())
                    .put("parameter", d.parameter())
                    .put("firstIteration", d.firstIteration())
                    .put("message", d.message())
                    .put("reason", d.reason()));
        }
        return out;
    }

    private static JsonArray numbers(List<Double> values) {
        JsonArray out = new JsonArray();
        values.forEach(v -> out.add(number(v)));
        return out;
    }

    private static JsonArray strings(List<String> values) {
        return new JsonArray(new ArrayList<>(values));
    }

    /** Most severe first; within a severity the method's level order (code, numerical, optimization); then first. */
    static JsonArray findings(List<Finding> all) {
        Map<String, Finding> unique = new LinkedHashMap<>();
        for (Finding f : all) {
            unique.putIfAbsent(f.identity(), f);
        }
        List<Finding> sorted = new ArrayList<>(unique.values());
        sorted.sort(Comparator.comparing((Finding f) -> f.severity().ordinal()).reversed()
                .thenComparing(f -> f.level().ordinal())
                .thenComparingLong(Finding::firstIteration));
        JsonArray out = new JsonArray();
        for (Finding f : sorted) {
            out.add(new JsonObject()
                    .put("severity", f.severity().name())
                    .put("symptom", f.symptom().name())
                    .put("level", f.level().name())
                    .put("layer", f.layer())
                    .put("parameter", f.parameter())
                    .put("firstIteration", f.firstIteration())
                    .put("message", f.message())
                    .put("evidence", evidence(f.evidence()))
                    .put("suggestions", new JsonArray(new ArrayList<>(f.suggestions()))));
        }
        return out;
    }

    private static JsonArray nonFinite(List<NonFiniteEvent> events) {
        JsonArray out = new JsonArray();
        for (NonFiniteEvent e : events) {
            out.add(new JsonObject()
                    .put("iteration", e.iteration())
                    .put("epoch", e.epoch())
                    .put("kind", e.kind().name())
                    .put("layer", e.layer())
                    .put("parameter", e.parameter())
                    .put("count", e.count())
                    .put("total", e.total())
                    .put("description", e.describe()));
        }
        return out;
    }

    /**
     * Per layer and iteration: the layer's gradient L2 norm (over all its trainable parameters: the square root of the
     * sum of the squared per-parameter norms) and its update:parameter ratio (layer update norm over layer parameter
     * norm). Layers in the order they first appear (topological).
     */
    static JsonObject gradients(List<GradientSnapshot> snapshots) {
        List<GradientSnapshot> shown = thin(snapshots, MAX_COLUMNS);
        Set<String> layers = new LinkedHashSet<>();
        for (GradientSnapshot s : shown) {
            for (ParameterStats p : s.parameters()) {
                layers.add(p.layer());
            }
        }
        List<String> layerList = new ArrayList<>(layers);
        Map<String, Integer> layerIndex = new java.util.HashMap<>();
        for (int i = 0; i < layerList.size(); i++) {
            layerIndex.put(layerList.get(i), i);
        }
        JsonArray iterations = new JsonArray();
        JsonArray norms = new JsonArray();
        JsonArray ratios = new JsonArray();
        List<JsonArray> normRows = new ArrayList<>();
        List<JsonArray> ratioRows = new ArrayList<>();
        for (int i = 0; i < layerList.size(); i++) {
            normRows.add(new JsonArray());
            ratioRows.add(new JsonArray());
        }
        for (GradientSnapshot s : shown) {
            iterations.add(s.iteration());
            double[] g2 = new double[layerList.size()];
            double[] u2 = new double[layerList.size()];
            double[] p2 = new double[layerList.size()];
            boolean[] seen = new boolean[layerList.size()];
            for (ParameterStats p : s.parameters()) {
                int i = layerIndex.get(p.layer());
                seen[i] = true;
                g2[i] += p.gradientNorm() * p.gradientNorm();
                u2[i] += p.updateNorm() * p.updateNorm();
                p2[i] += p.parameterNorm() * p.parameterNorm();
            }
            for (int i = 0; i < layerList.size(); i++) {
                if (!seen[i]) {
                    normRows.get(i).addNull();
                    ratioRows.get(i).addNull();
                    continue;
                }
                normRows.get(i).add(number(Math.sqrt(g2[i])));
                if (p2[i] == 0 && Double.isFinite(u2[i])) {
                    ratioRows.get(i).addNull();
                } else {
                    ratioRows.get(i).add(number(Math.sqrt(u2[i]) / Math.sqrt(p2[i])));
                }
            }
        }
        normRows.forEach(norms::add);
        ratioRows.forEach(ratios::add);
        return new JsonObject()
                .put("snapshots", snapshots.size())
                .put("iterations", iterations)
                .put("layers", new JsonArray(new ArrayList<>(layerList)))
                .put("gradientNorm", norms)
                .put("updateRatio", ratios);
    }

    /** The newest activation snapshot: dead and saturated unit shares per layer. */
    private static JsonObject activations(List<ActivationSnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            return new JsonObject().put("snapshots", 0).put("layers", new JsonArray());
        }
        ActivationSnapshot last = snapshots.get(snapshots.size() - 1);
        JsonArray layers = new JsonArray();
        for (ActivationStats a : last.layers()) {
            layers.add(new JsonObject()
                    .put("layer", a.layer())
                    .put("activation", a.activation())
                    .put("units", a.units())
                    .put("deadUnits", a.deadUnits())
                    .put("deadFraction", number(a.deadUnitFraction()))
                    .put("saturationApplies", a.saturation().applies())
                    .put("saturatedUnits", a.saturation().units())
                    .put("saturatedFraction", number(a.saturatedUnitFraction()))
                    .put("zeroFraction", number(a.zeroFraction()))
                    .put("nonFinite", a.nonFinite()));
        }
        return new JsonObject()
                .put("snapshots", snapshots.size())
                .put("iteration", last.iteration())
                .put("epoch", last.epoch())
                .put("layers", layers);
    }

    private static JsonObject loss(List<LossPoint> points) {
        List<LossPoint> train = new ArrayList<>();
        List<LossPoint> validation = new ArrayList<>();
        for (LossPoint p : points) {
            (p.split() == LossPoint.Split.TRAIN ? train : validation).add(p);
        }
        return new JsonObject().put("train", lossSeries(thin(train, MAX_LOSS_POINTS)))
                .put("validation", lossSeries(thin(validation, MAX_LOSS_POINTS)));
    }

    private static JsonArray lossSeries(List<LossPoint> points) {
        JsonArray out = new JsonArray();
        for (LossPoint p : points) {
            out.add(new JsonObject().put("iteration", p.iteration()).put("epoch", p.epoch())
                    .put("value", number(p.value())));
        }
        return out;
    }

    private static JsonObject fitting(List<FittingVerdict> verdicts) {
        JsonArray history = new JsonArray();
        JsonObject latest = null;
        for (FittingVerdict v : verdicts) {
            latest = new JsonObject()
                    .put("iteration", v.iteration())
                    .put("epoch", v.epoch())
                    .put("verdict", v.verdict())
                    .put("trainLoss", number(v.trainLoss()))
                    .put("validationLoss", number(v.validationLoss()))
                    .put("gap", number(v.gap()))
                    .put("message", v.message());
            history.add(latest);
        }
        return new JsonObject().put("latest", latest).put("history", history);
    }

    /** The newest result of each checklist item, in the order the items first appeared. */
    private static JsonArray checklist(List<ChecklistItem> items) {
        Map<String, ChecklistItem> latest = new LinkedHashMap<>();
        for (ChecklistItem c : items) {
            latest.put(c.id(), c);
        }
        JsonArray out = new JsonArray();
        for (ChecklistItem c : latest.values()) {
            out.add(new JsonObject()
                    .put("id", c.id())
                    .put("level", c.level().name())
                    .put("status", c.status().name())
                    .put("message", c.message())
                    .put("evidence", evidence(c.evidence())));
        }
        return out;
    }

    private static JsonObject evidence(Map<String, Double> evidence) {
        JsonObject out = new JsonObject();
        evidence.forEach((k, v) -> out.put(k, v == null ? null : number(v)));
        return out;
    }

    /**
     * @param value a number
     * @return the number, or its name when it is NaN or infinite
     */
    static Object number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return value;
    }

    /** Keeps at most {@code max} elements, evenly spaced, always the first and the last. */
    static <T> List<T> thin(List<T> all, int max) {
        if (all.size() <= max) {
            return all;
        }
        List<T> out = new ArrayList<>(max);
        double step = (all.size() - 1) / (double) (max - 1);
        for (int i = 0; i < max; i++) {
            out.add(all.get((int) Math.round(i * step)));
        }
        return out;
    }
}
