package io.dl4jdebug.ui.storage;

import org.deeplearning4j.core.storage.Persistable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One dl4j-debug record in a DL4J {@code StatsStorage}: either the static info of a session's kind (a
 * {@link RunInfo}) or an update holding one snapshot, finding, loss point, fitting verdict, checklist item or
 * diagnosis. The type ID is the kind's ({@link RecordKind#typeId()}).
 *
 * <p>Encoding, version {@value #FORMAT_VERSION} (big-endian): magic {@code "D4DB"}, version byte, kind code byte,
 * static-info flag byte, session, type and worker IDs (modified UTF-8, {@code writeUTF}), timestamp (long), then the
 * payload's length (int) and the payload as CBOR through Jackson ({@code PayloadFormat}: record components by name,
 * unknown ones skipped). A file of another format version fails with one line naming its version. The decoder reads exactly the bytes the encoder
 * wrote, so {@link #decode(InputStream)} can read from a longer stream. Works with {@code InMemoryStatsStorage},
 * MapDB {@code FileStatsStorage} (class name + {@link #encode()}), the SQLite {@code J7FileStatsStorage} (Java
 * serialization) and {@code RemoteUIStatsStorageRouter} (class name + base64 of {@link #encode()}).
 *
 * <p>Mutable only through {@code decode} (which DL4J calls on an instance made with the no-arg constructor); not thread
 * safe while decoding, immutable afterwards in practice.
 */
public final class DebugRecord implements Persistable {

    private static final long serialVersionUID = 1L;

    /** The encoding version this class writes and the newest it reads. */
    public static final int FORMAT_VERSION = 2;
    private static final int MAGIC = 0x44344442; // "D4DB"
    /** Longest payload the reader accepts, so that corrupt input fails fast. */
    static final int MAX_PAYLOAD = 1 << 26;

    private String sessionId;
    private String typeId;
    private String workerId;
    private long timestamp;
    private RecordKind kind;
    private boolean staticInfo;
    private Serializable payload;

    /** For DL4J's storages, which create an empty instance and then {@code decode} into it. */
    public DebugRecord() {
    }

    private DebugRecord(String sessionId, String workerId, long timestamp, RecordKind kind, boolean staticInfo,
                        Serializable payload) {
        this.sessionId = requireId(sessionId, "sessionId");
        this.workerId = requireId(workerId, "workerId");
        this.kind = Objects.requireNonNull(kind, "kind must not be null");
        this.typeId = kind.typeId();
        this.timestamp = timestamp;
        this.staticInfo = staticInfo;
        this.payload = Objects.requireNonNull(payload, "payload must not be null");
    }

    /**
     * @param sessionId the session ID (the StatsListener's when both are attached)
     * @param workerId  the worker ID
     * @param timestamp the storage key, unique per session, kind and worker
     * @param kind      what the payload is
     * @param payload   an instance of {@code kind.payloadType()}
     * @return an update record
     * @throws IllegalArgumentException when the payload does not match the kind
     */
    public static DebugRecord update(String sessionId, String workerId, long timestamp, RecordKind kind,
                                     Object payload) {
        Objects.requireNonNull(kind, "kind must not be null");
        if (!kind.payloadType().isInstance(payload)) {
            throw new IllegalArgumentException("payload of a " + kind + " record must be a "
                    + kind.payloadType().getSimpleName() + " but was "
                    + (payload == null ? "null" : payload.getClass().getName()));
        }
        return new DebugRecord(sessionId, workerId, timestamp, kind, false, (Serializable) payload);
    }

    /**
     * @param sessionId the session ID
     * @param workerId  the worker ID
     * @param timestamp when it was written
     * @param kind      the kind whose static info this is
     * @param info      the run information
     * @return a static-info record
     */
    public static DebugRecord staticInfo(String sessionId, String workerId, long timestamp, RecordKind kind,
                                         RunInfo info) {
        return new DebugRecord(sessionId, workerId, timestamp, kind, true, info);
    }

    private static String requireId(String id, String name) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(name + " must be a non-empty string but was '" + id + "'");
        }
        return id;
    }

    /** @return what the payload is */
    public RecordKind kind() {
        return kind;
    }

    /** @return true for the static info of a kind, false for an update */
    public boolean isStaticInfo() {
        return staticInfo;
    }

    /** @return the payload: a {@link RunInfo} for static info, else an instance of the kind's payload type */
    public Object payload() {
        return payload;
    }

    /**
     * @param type the expected payload type
     * @param <T>  the payload type
     * @return the payload
     * @throws IllegalStateException when the payload is of another type
     */
    public <T> T payload(Class<T> type) {
        if (!type.isInstance(payload)) {
            throw new IllegalStateException("this " + kind + (staticInfo ? " static info" : " update") + " holds a "
                    + (payload == null ? "nothing (not decoded yet)" : payload.getClass().getSimpleName())
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(payload);
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return typeId;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timestamp;
    }

    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try {
            encode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + this, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    @Override
    public void encode(OutputStream outputStream) throws IOException {
        if (kind == null) {
            throw new IllegalStateException("cannot encode an empty DebugRecord (made by the no-arg constructor and "
                    + "never decoded)");
        }
        DataOutputStream out = new DataOutputStream(outputStream);
        out.writeInt(MAGIC);
        out.writeByte(FORMAT_VERSION);
        out.writeByte(kind.code());
        out.writeBoolean(staticInfo);
        out.writeUTF(sessionId);
        out.writeUTF(typeId);
        out.writeUTF(workerId);
        out.writeLong(timestamp);
        byte[] body = PayloadFormat.write(payload);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    @Override
    public void decode(byte[] decode) {
        try {
            decode(new ByteArrayInputStream(decode));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a dl4j-debug record of " + decode.length + " bytes: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void decode(ByteBuffer buffer) {
        try {
            decode(new InputStream() {
                @Override
                public int read() {
                    return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a dl4j-debug record from a buffer: " + e.getMessage(), e);
        }
    }

    @Override
    public void decode(InputStream inputStream) throws IOException {
        DataInputStream in = new DataInputStream(inputStream);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a dl4j-debug record: magic 0x%08X, expected 0x%08X", magic,
                    MAGIC));
        }
        int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("this stats file holds dl4j-debug records of format version " + version
                    + (version == 1 ? " (dl4j-debug before 2026-12-07, a hand-written codec)" : "")
                    + "; this dl4j-debug reads version " + FORMAT_VERSION + " (CBOR): record the run again with "
                    + "this version, or open the file with the dl4j-debug version that wrote it");
        }
        RecordKind k;
        try {
            k = RecordKind.ofCode(in.readByte());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        boolean isStatic = in.readBoolean();
        String session = in.readUTF();
        String type = in.readUTF();
        String worker = in.readUTF();
        long ts = in.readLong();
        int length = in.readInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("corrupt dl4j-debug record: payload length " + length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        Class<?> payloadType = isStatic ? RunInfo.class : k.payloadType();
        Serializable p = (Serializable) PayloadFormat.read(body, payloadType);
        this.kind = k;
        this.staticInfo = isStatic;
        this.sessionId = session;
        this.typeId = type;
        this.workerId = worker;
        this.timestamp = ts;
        this.payload = p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebugRecord r && timestamp == r.timestamp && staticInfo == r.staticInfo
                && kind == r.kind && Objects.equals(sessionId, r.sessionId) && Objects.equals(typeId, r.typeId)
                && Objects.equals(workerId, r.workerId) && Objects.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId, typeId, workerId, timestamp, kind, staticInfo, payload);
    }

    @Override
    public String toString() {
        return "DebugRecord[" + kind + (staticInfo ? " static info" : " update") + ", session=" + sessionId
                + ", worker=" + workerId + ", timestamp=" + timestamp + ", payload=" + payload + "]";
    }
}
