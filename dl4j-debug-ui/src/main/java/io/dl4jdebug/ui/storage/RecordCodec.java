package io.dl4jdebug.ui.storage;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A compact, self-describing binary form of Java records (the snapshots, findings and results of dl4j-debug): each
 * record is its component count, then per component its name and a tagged value. Strings (names and values) go
 * through a table, so a name or layer repeated in one payload costs one or two bytes after its first use. Numbers are
 * fixed-width big-endian, enums are written by name.
 *
 * <p>Because components are matched by name, a reader built against a newer or older version of a record decodes what
 * both know: a component the reader does not know is skipped, a component the writer did not know gets its default
 * (0, false, null, empty collection, empty optional). So a record gaining a field in dl4j-debug-core never breaks
 * reading an old file. Supported component types: primitives and their boxes, String, enums, records, List, Map with
 * String keys, Optional, OptionalDouble, OptionalLong, OptionalInt. Stateless apart from the per-payload string table.
 */
final class RecordCodec {

    /** Longest string or collection the reader accepts, so that corrupt input fails fast. */
    static final int MAX_LENGTH = 1 << 24;

    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte INT = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;
    private static final byte STRING = 5;
    private static final byte ENUM = 6;
    private static final byte RECORD = 7;
    private static final byte LIST = 8;
    private static final byte MAP = 9;
    private static final byte EMPTY = 10;
    private static final byte FLOAT = 11;

    private RecordCodec() {
    }

    /**
     * @param out    where to write
     * @param record the record
     * @throws IOException from the output
     * @throws IllegalArgumentException when a component has a type this codec cannot write
     */
    static void write(DataOutput out, Record record) throws IOException {
        new Writer(out).record(record);
    }

    /**
     * @param in   where to read
     * @param type the record class expected
     * @param <T>  its type
     * @return the record
     * @throws IOException on truncated or corrupt input, an unknown enum constant, or values the record's constructor
     *                     refuses
     */
    static <T> T read(DataInput in, Class<T> type) throws IOException {
        return new Reader(in).record(type);
    }

    /** Writes a length-prefixed UTF-8 string without the table (for the record header). */
    static void writeString(DataOutput out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, bytes.length);
        out.write(bytes);
    }

    /** Reads what {@link #writeString} wrote. */
    static String readString(DataInput in) throws IOException {
        byte[] bytes = new byte[readLength(in, "string")];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeVarint(DataOutput out, int value) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarint(DataInput in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("corrupt dl4j-debug record: a length is longer than 5 bytes");
    }

    private static int readLength(DataInput in, String what) throws IOException {
        int n = readVarint(in);
        if (n < 0 || n > MAX_LENGTH) {
            throw new IOException("corrupt dl4j-debug record: length of " + what + " is " + n + " (valid: 0.."
                    + MAX_LENGTH + ")");
        }
        return n;
    }

    private static final class Writer {
        private final DataOutput out;
        private final Map<String, Integer> table = new HashMap<>();

        Writer(DataOutput out) {
            this.out = out;
        }

        void string(String s) throws IOException {
            Integer index = table.get(s);
            if (index != null) {
                writeVarint(out, index + 1);
            } else {
                writeVarint(out, 0);
                table.put(s, table.size());
                writeString(out, s);
            }
        }

        void record(Record r) throws IOException {
            RecordComponent[] components = r.getClass().getRecordComponents();
            writeVarint(out, components.length);
            for (RecordComponent c : components) {
                string(c.getName());
                Object value;
                try {
                    value = c.getAccessor().invoke(r);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalArgumentException("cannot read component " + c.getName() + " of "
                            + r.getClass().getName(), e);
                }
                value(value, r.getClass().getSimpleName() + "." + c.getName());
            }
        }

        void value(Object v, String where) throws IOException {
            if (v == null) {
                out.writeByte(NULL);
            } else if (v instanceof Long l) {
                out.writeByte(LONG);
                out.writeLong(l);
            } else if (v instanceof Integer i) {
                out.writeByte(INT);
                out.writeInt(i);
            } else if (v instanceof Double d) {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            } else if (v instanceof Float f) {
                out.writeByte(FLOAT);
                out.writeFloat(f);
            } else if (v instanceof Boolean b) {
                out.writeByte(BOOLEAN);
                out.writeBoolean(b);
            } else if (v instanceof String s) {
                out.writeByte(STRING);
                string(s);
            } else if (v instanceof Enum<?> e) {
                out.writeByte(ENUM);
                string(e.name());
            } else if (v instanceof Record r) {
                out.writeByte(RECORD);
                record(r);
            } else if (v instanceof List<?> list) {
                out.writeByte(LIST);
                writeVarint(out, list.size());
                for (Object o : list) {
                    value(o, where + "[]");
                }
            } else if (v instanceof Map<?, ?> map) {
                out.writeByte(MAP);
                writeVarint(out, map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException(where + " is a map with a key of type "
                                + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
                                + "; only String keys can be encoded");
                    }
                    string(key);
                    value(e.getValue(), where + "{}");
                }
            } else if (v instanceof OptionalDouble o) {
                optional(o.isPresent() ? o.getAsDouble() : null, where);
            } else if (v instanceof OptionalLong o) {
                optional(o.isPresent() ? o.getAsLong() : null, where);
            } else if (v instanceof OptionalInt o) {
                optional(o.isPresent() ? o.getAsInt() : null, where);
            } else if (v instanceof Optional<?> o) {
                optional(o.orElse(null), where);
            } else {
                throw new IllegalArgumentException(where + " has type " + v.getClass().getName() + ", which the "
                        + "dl4j-debug record codec cannot encode (valid: primitives, String, enums, records, List, "
                        + "Map with String keys, Optional*)");
            }
        }

        private void optional(Object present, String where) throws IOException {
            if (present == null) {
                out.writeByte(EMPTY);
            } else {
                value(present, where);
            }
        }
    }

    private static final class Reader {
        private final DataInput in;
        private final List<String> table = new ArrayList<>();

        Reader(DataInput in) {
            this.in = in;
        }

        String string() throws IOException {
            int index = readVarint(in);
            if (index == 0) {
                String s = readString(in);
                table.add(s);
                return s;
            }
            if (index > table.size()) {
                throw new IOException("corrupt dl4j-debug record: string reference " + index + " but only "
                        + table.size() + " strings were read");
            }
            return table.get(index - 1);
        }

        <T> T record(Class<T> type) throws IOException {
            if (!type.isRecord()) {
                throw new IOException("cannot decode into " + type.getName() + ": not a record");
            }
            RecordComponent[] components = type.getRecordComponents();
            Map<String, RecordComponent> byName = new HashMap<>();
            for (RecordComponent c : components) {
                byName.put(c.getName(), c);
            }
            int n = readLength(in, "record components");
            Map<String, Object> values = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String name = string();
                RecordComponent c = byName.get(name);
                if (c == null) {
                    skip(); // written by a version of the record with this component; this reader has none
                } else {
                    values.put(name, value(c.getGenericType(), type.getSimpleName() + "." + name));
                }
            }
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = values.containsKey(components[i].getName()) ? values.get(components[i].getName())
                        : defaultValue(types[i]);
            }
            try {
                Constructor<T> ctor = type.getDeclaredConstructor(types);
                return ctor.newInstance(args);
            } catch (InvocationTargetException e) {
                throw new IOException("the stored values do not make a valid " + type.getSimpleName() + ": "
                        + e.getCause().getMessage(), e.getCause());
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                throw new IOException("cannot rebuild a " + type.getName() + " from a dl4j-debug record: " + e, e);
            }
        }

        Object value(Type target, String where) throws IOException {
            byte tag = in.readByte();
            Class<?> raw = rawClass(target);
            if (raw == OptionalDouble.class) {
                return tag == EMPTY ? OptionalDouble.empty() : OptionalDouble.of(((Number) scalar(tag, where)).doubleValue());
            }
            if (raw == OptionalLong.class) {
                return tag == EMPTY ? OptionalLong.empty() : OptionalLong.of(((Number) scalar(tag, where)).longValue());
            }
            if (raw == OptionalInt.class) {
                return tag == EMPTY ? OptionalInt.empty() : OptionalInt.of(((Number) scalar(tag, where)).intValue());
            }
            if (raw == Optional.class) {
                return tag == EMPTY || tag == NULL ? Optional.empty()
                        : Optional.of(tagged(tag, typeArgument(target, 0), where));
            }
            if (tag == EMPTY) {
                throw new IOException(where + ": an empty optional was stored but " + raw.getSimpleName()
                        + " is expected");
            }
            Object v = tagged(tag, target, where);
            if (v == null && raw.isPrimitive()) {
                throw new IOException(where + ": null stored for a " + raw.getName());
            }
            return convert(v, raw, where);
        }

        private Object tagged(byte tag, Type target, String where) throws IOException {
            Class<?> raw = rawClass(target);
            switch (tag) {
                case NULL:
                    return null;
                case ENUM: {
                    String name = string();
                    if (!raw.isEnum()) {
                        throw new IOException(where + ": enum constant " + name + " stored but " + raw.getName()
                                + " is expected");
                    }
                    for (Object constant : raw.getEnumConstants()) {
                        if (((Enum<?>) constant).name().equals(name)) {
                            return constant;
                        }
                    }
                    throw new IOException(where + ": unknown " + raw.getSimpleName() + " '" + name + "' (valid: "
                            + List.of(raw.getEnumConstants()) + "); written by a newer dl4j-debug?");
                }
                case RECORD:
                    return record(raw);
                case LIST: {
                    int n = readLength(in, "list");
                    Type element = typeArgument(target, 0);
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(value(element, where + "[" + i + "]"));
                    }
                    return Collections.unmodifiableList(list);
                }
                case MAP: {
                    int n = readLength(in, "map");
                    Type valueType = typeArgument(target, 1);
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        String key = string();
                        map.put(key, value(valueType, where + "{" + key + "}"));
                    }
                    return Collections.unmodifiableMap(map);
                }
                default:
                    return scalar(tag, where);
            }
        }

        private Object scalar(byte tag, String where) throws IOException {
            return switch (tag) {
                case LONG -> in.readLong();
                case INT -> in.readInt();
                case DOUBLE -> in.readDouble();
                case FLOAT -> in.readFloat();
                case BOOLEAN -> in.readBoolean();
                case STRING -> string();
                default -> throw new IOException("corrupt dl4j-debug record: unexpected tag " + tag + " at " + where);
            };
        }

        /** Widens numbers (a newer record may store a long where an int was): never narrows. */
        private static Object convert(Object v, Class<?> raw, String where) throws IOException {
            if (v == null) {
                return null;
            }
            if (raw == long.class || raw == Long.class) {
                if (v instanceof Long || v instanceof Integer) {
                    return ((Number) v).longValue();
                }
            } else if (raw == double.class || raw == Double.class) {
                if (v instanceof Number n) {
                    return n.doubleValue();
                }
            } else if (raw == float.class || raw == Float.class) {
                if (v instanceof Float) {
                    return v;
                }
            } else if (raw == int.class || raw == Integer.class) {
                if (v instanceof Integer) {
                    return v;
                }
            } else if (raw == boolean.class || raw == Boolean.class) {
                if (v instanceof Boolean) {
                    return v;
                }
            } else if (raw == Object.class || raw.isInstance(v)) {
                return v;
            }
            throw new IOException(where + ": stored " + v.getClass().getSimpleName() + " cannot become a "
                    + raw.getName());
        }

        private void skip() throws IOException {
            byte tag = in.readByte();
            switch (tag) {
                case NULL, EMPTY -> {
                }
                case LONG, DOUBLE -> in.readLong();
                case INT, FLOAT -> in.readInt();
                case BOOLEAN -> in.readBoolean();
                case STRING, ENUM -> string();
                case RECORD -> {
                    int n = readLength(in, "record components");
                    for (int i = 0; i < n; i++) {
                        string();
                        skip();
                    }
                }
                case LIST -> {
                    int n = readLength(in, "list");
                    for (int i = 0; i < n; i++) {
                        skip();
                    }
                }
                case MAP -> {
                    int n = readLength(in, "map");
                    for (int i = 0; i < n; i++) {
                        string();
                        skip();
                    }
                }
                default -> throw new IOException("corrupt dl4j-debug record: unknown tag " + tag);
            }
        }

        private static Object defaultValue(Class<?> type) {
            if (type == long.class) {
                return 0L;
            } else if (type == int.class) {
                return 0;
            } else if (type == double.class) {
                return 0.0;
            } else if (type == float.class) {
                return 0f;
            } else if (type == boolean.class) {
                return false;
            } else if (type == List.class) {
                return List.of();
            } else if (type == Map.class) {
                return Map.of();
            } else if (type == OptionalDouble.class) {
                return OptionalDouble.empty();
            } else if (type == OptionalLong.class) {
                return OptionalLong.empty();
            } else if (type == OptionalInt.class) {
                return OptionalInt.empty();
            } else if (type == Optional.class) {
                return Optional.empty();
            }
            return null;
        }

        private static Class<?> rawClass(Type t) {
            if (t instanceof Class<?> c) {
                return c;
            }
            if (t instanceof ParameterizedType p) {
                return (Class<?>) p.getRawType();
            }
            if (t instanceof WildcardType w && w.getUpperBounds().length == 1) {
                return rawClass(w.getUpperBounds()[0]);
            }
            return Object.class;
        }

        private static Type typeArgument(Type t, int index) {
            if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
                return p.getActualTypeArguments()[index];
            }
            return Object.class;
        }
    }
}
