package io.dl4jdebug.ui.storage;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

import java.io.IOException;

/**
 * The payload of a {@link DebugRecord} (a snapshot, finding, diagnosis or run info record) as CBOR, through Jackson:
 * records by their components (the canonical constructor on reading, so their validation runs), enums by name,
 * {@code Optional*} through Jackson's jdk8 module. Properties the reading class does not know are skipped. Thread
 * safe (one shared, immutable mapper).
 */
final class PayloadFormat {

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
            .registerModule(new Jdk8Module())
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private PayloadFormat() {
    }

    /**
     * @param payload a record
     * @return its CBOR bytes
     * @throws IOException when Jackson cannot write it
     */
    static byte[] write(Object payload) throws IOException {
        return CBOR.writeValueAsBytes(payload);
    }

    /**
     * @param bytes CBOR bytes written by {@link #write}
     * @param type  the record class expected
     * @param <T>   its type
     * @return the record
     * @throws IOException on corrupt input or values the record's constructor refuses
     */
    static <T> T read(byte[] bytes, Class<T> type) throws IOException {
        return CBOR.readValue(bytes, type);
    }
}
