package io.dl4jdebug.cli.diagnose;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root attributes of a Keras {@code model.save('model.h5')} file: {@code keras_version}, {@code backend},
 * {@code model_config} and {@code training_config} (absent when the model was saved uncompiled or with
 * {@code include_optimizer=False}). Reads both string forms Keras writes (fixed-length bytes, as Keras 2.x writes its
 * JSON, and variable-length, as tf.keras writes its version), each with its exact length.
 *
 * @param kerasVersion   the Keras version that wrote the file, "" when the attribute is missing
 * @param backend        the backend, "" when missing
 * @param modelConfig    the model configuration JSON, null when missing (a weights-only file)
 * @param trainingConfig the training configuration JSON, null when missing
 */
public record KerasH5File(String kerasVersion, String backend, String modelConfig, String trainingConfig) {

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /**
     * @param file a file
     * @return true when it starts with the HDF5 signature (at offset 0, where Keras' files have it)
     */
    public static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(HDF5_SIGNATURE.length);
            return java.util.Arrays.equals(head, HDF5_SIGNATURE);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param file an HDF5 file
     * @return its Keras attributes
     * @throws IllegalArgumentException when HDF5 cannot open it or an attribute is not a string
     */
    public static KerasH5File read(Path file) {
        Loader.load(hdf5.class);
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5;
            try {
                h5 = new H5File(file.toString(), hdf5.H5F_ACC_RDONLY());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("HDF5 cannot open it (" + e.getMessage() + ")", e);
            }
            try {
                return new KerasH5File(orEmpty(string(h5, "keras_version")), orEmpty(string(h5, "backend")),
                        string(h5, "model_config"), string(h5, "training_config"));
            } finally {
                h5._close();
                h5.deallocate();
            }
        }
    }

    /** @return the major version, 0 when the version is missing or unreadable */
    public int kerasMajorVersion() {
        return !kerasVersion.isEmpty() && Character.isDigit(kerasVersion.charAt(0))
                ? Character.getNumericValue(kerasVersion.charAt(0)) : 0;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String string(H5File h5, String name) {
        if (!h5.attrExists(name)) {
            return null;
        }
        Attribute attribute = h5.openAttribute(name);
        DataType type = attribute.getDataType();
        try {
            if (type._getClass() != hdf5.H5T_STRING) {
                throw new IllegalArgumentException("attribute " + name + " is not a string");
            }
            if (type.isVariableStr()) {
                PointerPointer<BytePointer> pointer = new PointerPointer<>(1);
                attribute.read(type, pointer);
                BytePointer chars = pointer.get(BytePointer.class, 0);
                String value = chars == null ? "" : chars.getString(StandardCharsets.UTF_8);
                pointer.deallocate();
                return value;
            }
            long size = attribute.getStorageSize();
            BytePointer buffer = new BytePointer(Math.max(1, size));
            attribute.read(type, (Pointer) buffer); // the void* overload (the BytePointer one is std::string&)
            byte[] bytes = new byte[(int) size];
            buffer.get(bytes);
            buffer.deallocate();
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == ' ')) {
                end--;
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        } finally {
            type.deallocate();
            attribute.deallocate();
        }
    }
}
