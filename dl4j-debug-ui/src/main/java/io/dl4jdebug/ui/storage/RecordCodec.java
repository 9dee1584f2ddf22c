package io.dl4jdebug.ui.storage;

import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.measure.ActivationSnapshot;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.GradientSnapshot;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.ParameterStats;
import io.dl4jdebug.measure.Saturation;
import io.dl4jdebug.preflight.CheckStatus;
import io.dl4jdebug.preflight.ChecklistItem;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads the payloads of {@link DebugRecord}s: fixed-width numbers, length-prefixed UTF-8 strings, enums by
 * name (so that reordering an enum never changes the meaning of stored data). Stateless.
 */
final class RecordCodec {

    /** Longest string or list the reader accepts, so that a corrupt length fails fast instead of exhausting memory. */
    static final int MAX_LENGTH = 1 << 24;

    private RecordCodec() {
    }

    static void write(DataOutput out, RecordKind kind, Object payload) throws IOException {
        switch (kind) {
            case GRADIENTS -> writeGradients(out, (GradientSnapshot) payload);
            case ACTIVATIONS -> writeActivations(out, (ActivationSnapshot) payload);
            case NON_FINITE -> writeNonFinite(out, (NonFiniteEvent) payload);
            case FINDING -> writeFinding(out, (Finding) payload);
            case LOSS -> writeLoss(out, (LossPoint) payload);
            case FITTING -> writeFitting(out, (FittingVerdict) payload);
            case CHECKLIST -> writeChecklist(out, (ChecklistItem) payload);
            default -> throw new IllegalStateException("no codec for " + kind);
        }
    }

    static Object read(DataInput in, RecordKind kind) throws IOException {
        return switch (kind) {
            case GRADIENTS -> readGradients(in);
            case ACTIVATIONS -> readActivations(in);
            case NON_FINITE -> readNonFinite(in);
            case FINDING -> readFinding(in);
            case LOSS -> readLoss(in);
            case FITTING -> readFitting(in);
            case CHECKLIST -> readChecklist(in);
        };
    }

    static void writeRunInfo(DataOutput out, RunInfo info) throws IOException {
        out.writeLong(info.startTimeMillis());
        out.writeInt(info.formatVersion());
        writeString(out, info.hostname());
    }

    static RunInfo readRunInfo(DataInput in) throws IOException {
        return new RunInfo(in.readLong(), in.readInt(), readString(in));
    }

    // ---- snapshots

    private static void writeGradients(DataOutput out, GradientSnapshot s) throws IOException {
        out.writeLong(s.iteration());
        out.writeInt(s.epoch());
        out.writeInt(s.minibatchSize());
        out.writeInt(s.parameters().size());
        for (ParameterStats p : s.parameters()) {
            writeString(out, p.layer());
            writeString(out, p.key());
            out.writeDouble(p.parameterNorm());
            out.writeDouble(p.gradientNorm());
            out.writeDouble(p.updateNorm());
            out.writeLong(p.nonFiniteGradients());
            out.writeLong(p.nonFiniteParameters());
        }
    }

    private static GradientSnapshot readGradients(DataInput in) throws IOException {
        long iteration = in.readLong();
        int epoch = in.readInt();
        int minibatch = in.readInt();
        int n = readLength(in, "parameters");
        List<ParameterStats> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            params.add(new ParameterStats(readString(in), readString(in), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readLong(), in.readLong()));
        }
        return new GradientSnapshot(iteration, epoch, minibatch, params);
    }

    private static void writeActivations(DataOutput out, ActivationSnapshot s) throws IOException {
        out.writeLong(s.iteration());
        out.writeInt(s.epoch());
        out.writeInt(s.layers().size());
        for (ActivationStats a : s.layers()) {
            writeString(out, a.layer());
            writeString(out, a.activation());
            out.writeLong(a.size());
            out.writeDouble(a.mean());
            out.writeDouble(a.std());
            out.writeDouble(a.zeroFraction());
            out.writeInt(a.units());
            out.writeInt(a.deadUnits());
            out.writeBoolean(a.saturation().applies());
            out.writeDouble(a.saturation().fraction());
            out.writeInt(a.saturation().units());
            out.writeLong(a.nonFinite());
        }
    }

    private static ActivationSnapshot readActivations(DataInput in) throws IOException {
        long iteration = in.readLong();
        int epoch = in.readInt();
        int n = readLength(in, "layers");
        List<ActivationStats> layers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String layer = readString(in);
            String activation = readString(in);
            long size = in.readLong();
            double mean = in.readDouble();
            double std = in.readDouble();
            double zero = in.readDouble();
            int units = in.readInt();
            int dead = in.readInt();
            boolean applies = in.readBoolean();
            double satFraction = in.readDouble();
            int satUnits = in.readInt();
            long nonFinite = in.readLong();
            layers.add(new ActivationStats(layer, activation, size, mean, std, zero, units, dead,
                    new Saturation(applies, satFraction, satUnits), nonFinite));
        }
        return new ActivationSnapshot(iteration, epoch, layers);
    }

    private static void writeNonFinite(DataOutput out, NonFiniteEvent e) throws IOException {
        out.writeLong(e.iteration());
        out.writeInt(e.epoch());
        writeString(out, e.kind().name());
        writeString(out, e.layer());
        writeNullableString(out, e.parameter());
        out.writeLong(e.count());
        out.writeLong(e.total());
    }

    private static NonFiniteEvent readNonFinite(DataInput in) throws IOException {
        return new NonFiniteEvent(in.readLong(), in.readInt(),
                readEnum(in, NonFiniteEvent.Kind.class, "non-finite kind"), readString(in), readNullableString(in),
                in.readLong(), in.readLong());
    }

    // ---- judgements

    private static void writeFinding(DataOutput out, Finding f) throws IOException {
        writeString(out, f.symptom().name());
        writeString(out, f.severity().name());
        writeString(out, f.level().name());
        writeString(out, f.message());
        writeNullableString(out, f.layer());
        writeNullableString(out, f.parameter());
        out.writeLong(f.firstIteration());
        writeEvidence(out, f.evidence());
        out.writeInt(f.suggestions().size());
        for (String s : f.suggestions()) {
            writeString(out, s);
        }
    }

    private static Finding readFinding(DataInput in) throws IOException {
        Symptom symptom = readEnum(in, Symptom.class, "symptom");
        Severity severity = readEnum(in, Severity.class, "severity");
        Level level = readEnum(in, Level.class, "level");
        String message = readString(in);
        String layer = readNullableString(in);
        String parameter = readNullableString(in);
        long first = in.readLong();
        Map<String, Double> evidence = readEvidence(in);
        int n = readLength(in, "suggestions");
        List<String> suggestions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            suggestions.add(readString(in));
        }
        return new Finding(symptom, severity, level, message, layer, parameter, first, evidence, suggestions);
    }

    private static void writeLoss(DataOutput out, LossPoint p) throws IOException {
        out.writeLong(p.iteration());
        out.writeInt(p.epoch());
        writeString(out, p.split().name());
        out.writeDouble(p.value());
    }

    private static LossPoint readLoss(DataInput in) throws IOException {
        return new LossPoint(in.readLong(), in.readInt(), readEnum(in, LossPoint.Split.class, "loss split"),
                in.readDouble());
    }

    private static void writeFitting(DataOutput out, FittingVerdict v) throws IOException {
        out.writeLong(v.iteration());
        out.writeInt(v.epoch());
        writeString(out, v.verdict());
        out.writeDouble(v.trainLoss());
        out.writeDouble(v.validationLoss());
        writeString(out, v.message());
    }

    private static FittingVerdict readFitting(DataInput in) throws IOException {
        return new FittingVerdict(in.readLong(), in.readInt(), readString(in), in.readDouble(), in.readDouble(),
                readString(in));
    }

    private static void writeChecklist(DataOutput out, ChecklistItem c) throws IOException {
        writeString(out, c.id());
        writeString(out, c.level().name());
        writeString(out, c.status().name());
        writeString(out, c.message());
        writeEvidence(out, c.evidence());
    }

    private static ChecklistItem readChecklist(DataInput in) throws IOException {
        return new ChecklistItem(readString(in), readEnum(in, Level.class, "level"),
                readEnum(in, CheckStatus.class, "check status"), readString(in), readEvidence(in));
    }

    // ---- primitives

    private static void writeEvidence(DataOutput out, Map<String, Double> evidence) throws IOException {
        out.writeInt(evidence.size());
        for (Map.Entry<String, Double> e : evidence.entrySet()) {
            writeString(out, e.getKey());
            out.writeDouble(e.getValue() == null ? Double.NaN : e.getValue());
        }
    }

    private static Map<String, Double> readEvidence(DataInput in) throws IOException {
        int n = readLength(in, "evidence");
        Map<String, Double> evidence = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            evidence.put(readString(in), in.readDouble());
        }
        return evidence;
    }

    static void writeString(DataOutput out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInput in) throws IOException {
        byte[] bytes = new byte[readLength(in, "string")];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeNullableString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readNullableString(DataInput in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    private static int readLength(DataInput in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LENGTH) {
            throw new IOException("corrupt dl4j-debug record: length of " + what + " is " + n + " (valid: 0.."
                    + MAX_LENGTH + ")");
        }
        return n;
    }

    private static <E extends Enum<E>> E readEnum(DataInput in, Class<E> type, String what) throws IOException {
        String name = readString(in);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown " + what + " '" + name + "' in a dl4j-debug record (valid: "
                    + List.of(type.getEnumConstants())
                    + "); written by a newer dl4j-debug?", e);
        }
    }
}
