package io.dl4jdebug.publish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.diagnose.Verification;

import java.util.List;
import java.util.Map;

/** Formats findings and incidents as the report's JSON nodes (schema {@code dl4j-debug-report/2}). Stateless. */
public final class ReportJson {

    private ReportJson() {
    }

    /**
     * @param target the node to fill
     * @param f      a finding
     * @return the target, with symptom, severity, level, layer, parameter, firstIteration, message, evidence and
     *         suggestions
     */
    public static ObjectNode finding(ObjectNode target, Finding f) {
        target.put("symptom", f.symptom().name());
        target.put("severity", f.severity().name());
        target.put("level", f.level().name());
        target.put("layer", f.layer());
        target.put("parameter", f.parameter());
        target.put("firstIteration", f.firstIteration());
        f.workerId().ifPresent(w -> target.put("worker", w));
        target.put("message", f.message());
        evidence(target.putObject("evidence"), f.evidence());
        strings(target.putArray("suggestions"), f.suggestions());
        return target;
    }

    /**
     * @param target    the array to fill, one object per incident in the diagnosis' order
     * @param diagnosis the diagnosis
     */
    public static void incidents(ArrayNode target, Diagnosis diagnosis) {
        for (Incident i : diagnosis.incidents()) {
            ObjectNode n = target.addObject();
            n.put("id", i.id());
            n.put("symptom", i.symptom().name());
            n.put("severity", i.severity().name());
            n.put("level", i.level().name());
            n.put("firstIteration", i.root().firstIteration());
            n.put("layer", i.root().layer());
            strings(n.putArray("layers"), i.root().layers());
            n.put("headline", i.headline());
            i.setting().ifPresent(st -> n.put("setting", st.name()));
            n.put("message", i.root().worst().message());
            strings(n.putArray("evidence"), i.evidence());
            strings(n.putArray("fix"), i.fix());
            ArrayNode remedies = n.putArray("remedies");
            for (Remedy r : i.remedies()) {
                ObjectNode rn = remedies.addObject();
                rn.put("kind", r.kind().name());
                rn.put("setting", r.setting().name());
                strings(rn.putArray("layers"), r.layers());
                rn.put("value", r.value());
                rn.put("argument", r.argument());
                rn.put("text", r.text());
            }
            ArrayNode consequences = n.putArray("consequences");
            for (SymptomGroup g : i.consequences()) {
                ObjectNode gn = consequences.addObject();
                gn.put("symptom", g.symptom().name());
                gn.put("severity", g.severity().name());
                gn.put("firstIteration", g.firstIteration());
                gn.put("findings", g.findings().size());
                strings(gn.putArray("layers"), g.layers());
                gn.put("summary", g.summary());
            }
            n.put("explains", i.explains());
            i.verified().ifPresent(v -> verification(n.putObject("verification"), v));
        }
    }

    private static void verification(ObjectNode n, Verification v) {
        n.put("confirmed", v.confirmed());
        n.put("remedy", v.remedy().kind().name());
        n.put("fix", v.remedy().text());
        n.put("iterations", v.iterations());
        number(n, "baselineLossBefore", v.baselineBefore());
        number(n, "baselineLossAfter", v.baselineAfter());
        number(n, "fixedLossBefore", v.fixedBefore());
        number(n, "fixedLossAfter", v.fixedAfter());
        strings(n.putArray("gone"), v.gone().stream().map(Enum::name).toList());
        strings(n.putArray("left"), v.left().stream().map(Enum::name).toList());
        Verification.HeldOut h = v.heldOut();
        ObjectNode held = n.putObject("heldOut");
        held.put("metric", h.metric().name());
        held.put("examples", h.examples());
        held.put("source", h.source());
        ArrayNode seeds = held.putArray("baseline");
        h.baseline().forEach(x -> {
            if (Double.isFinite(x)) {
                seeds.add(x);
            } else {
                seeds.add(String.valueOf(x));
            }
        });
        number(held, "fixed", h.fixed());
        number(held, "improvement", h.improvement());
        number(held, "spread", h.spread());
        number(held, "margin", h.margin());
        number(held, "required", h.required());
        n.put("seconds", v.seconds());
        n.put("summary", v.summary());
    }

    /**
     * @param target   the node to fill
     * @param evidence named numbers; NaN and infinities are written as strings (JSON has none)
     */
    public static void evidence(ObjectNode target, Map<String, Double> evidence) {
        for (Map.Entry<String, Double> e : evidence.entrySet()) {
            number(target, e.getKey(), e.getValue());
        }
    }

    private static void number(ObjectNode target, String key, double v) {
        if (Double.isFinite(v)) {
            target.put(key, v);
        } else {
            target.put(key, String.valueOf(v));
        }
    }

    private static void strings(ArrayNode target, List<String> values) {
        values.forEach(target::add);
    }
}
