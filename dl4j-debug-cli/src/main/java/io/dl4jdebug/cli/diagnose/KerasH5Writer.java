package io.dl4jdebug.cli.diagnose;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Keras 2.x model file ({@code model.save('model.h5')}) with the HDF5 library DL4J's Keras import reads it
 * with, so that tests and the labelled scenarios need neither Python nor downloads. The layout is Keras 2's {@code hdf5_format}: root attributes
 * {@code keras_version}, {@code backend}, {@code model_config} (JSON) and, optionally, {@code training_config} (JSON);
 * a group {@code model_weights} with the attribute {@code layer_names}, and for every layer with weights a group
 * {@code model_weights/<layer>} with the attribute {@code weight_names} ({@code <layer>/kernel:0}, ...) and the
 * datasets {@code model_weights/<layer>/<layer>/kernel:0}. Strings are written as h5py writes {@code bytes}: fixed
 * length, NUL padded.
 */
public final class KerasH5Writer {

    static {
        Loader.load(hdf5.class);
    }

    private final String kerasVersion;
    private final String modelConfig;
    private String trainingConfig;
    private boolean variableLengthVersion;
    private final Map<String, Map<String, INDArray>> weights = new LinkedHashMap<>();

    /**
     * @param kerasVersion the {@code keras_version} attribute (2.x.y for files DL4J imports)
     * @param modelConfig  the {@code model_config} JSON
     */
    public KerasH5Writer(String kerasVersion, String modelConfig) {
        this.kerasVersion = kerasVersion;
        this.modelConfig = modelConfig;
    }

    /** Adds the {@code training_config} attribute (Keras writes it when the model was compiled). */
    public KerasH5Writer training(String json) {
        this.trainingConfig = json;
        return this;
    }

    /** Writes keras_version and backend as variable-length strings, as tf.keras 2.x does (h5py stores a str so). */
    public KerasH5Writer variableLengthVersion() {
        this.variableLengthVersion = true;
        return this;
    }

    /**
     * Adds one weight of a layer, Keras order and shape (a Dense kernel is {@code [nIn, units]}).
     *
     * @param layer the Keras layer name
     * @param name  the weight name without the layer prefix and ":0" ({@code kernel}, {@code bias})
     * @param value its values
     */
    public KerasH5Writer weight(String layer, String name, INDArray value) {
        weights.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    /** Writes the file, replacing what is there. */
    public void write(Path file) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
            try {
                if (variableLengthVersion) {
                    variableLengthAttribute(h5, "keras_version", kerasVersion);
                    variableLengthAttribute(h5, "backend", "tensorflow");
                } else {
                    stringAttribute(h5, "keras_version", List.of(kerasVersion), true);
                    stringAttribute(h5, "backend", List.of("tensorflow"), true);
                }
                stringAttribute(h5, "model_config", List.of(modelConfig), true);
                if (trainingConfig != null) {
                    stringAttribute(h5, "training_config", List.of(trainingConfig), true);
                }
                Group root = h5.createGroup("model_weights");
                stringAttribute(root, "layer_names", new ArrayList<>(weights.keySet()), false);
                stringAttribute(root, "backend", List.of("tensorflow"), true);
                stringAttribute(root, "keras_version", List.of(kerasVersion), true);
                for (Map.Entry<String, Map<String, INDArray>> layer : weights.entrySet()) {
                    Group group = root.createGroup(layer.getKey());
                    List<String> names = new ArrayList<>();
                    Group inner = group.createGroup(layer.getKey());
                    for (Map.Entry<String, INDArray> w : layer.getValue().entrySet()) {
                        String name = w.getKey() + ":0";
                        names.add(layer.getKey() + "/" + name);
                        floatDataset(inner, name, w.getValue());
                    }
                    stringAttribute(group, "weight_names", names, false);
                    inner.deallocate();
                    group.deallocate();
                }
                root.deallocate();
            } finally {
                h5._close();
                h5.deallocate();
            }
        }
    }

    /** A fixed-length string attribute, scalar or a 1-D array of strings padded to the longest (as h5py writes). */
    private static void stringAttribute(Group target, String name, List<String> values, boolean scalar) {
        List<byte[]> bytes = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
        int width = Math.max(1, bytes.stream().mapToInt(b -> b.length).max().orElse(1));
        StrType type = new StrType(PredType.C_S1(), width);
        type.setStrpad(hdf5.H5T_STR_NULLPAD);
        DataSpace space = scalar ? new DataSpace(hdf5.H5S_SCALAR) : new DataSpace(1, new long[] {values.size()});
        byte[] buffer = new byte[Math.max(1, width * values.size())];
        for (int i = 0; i < bytes.size(); i++) {
            System.arraycopy(bytes.get(i), 0, buffer, i * width, bytes.get(i).length);
        }
        Attribute attribute = target.createAttribute(name, type, space);
        BytePointer pointer = new BytePointer(buffer);
        attribute.write(type, (Pointer) pointer); // the void* overload: the exact bytes, NULs included
        pointer.deallocate();
        attribute.deallocate();
        space.deallocate();
        type.deallocate();
    }

    /** A scalar variable-length UTF-8 string attribute. */
    private static void variableLengthAttribute(Group target, String name, String value) {
        StrType type = new StrType(PredType.C_S1(), hdf5.H5T_VARIABLE);
        type.setCset(hdf5.H5T_CSET_UTF8);
        DataSpace space = new DataSpace(hdf5.H5S_SCALAR);
        Attribute attribute = target.createAttribute(name, type, space);
        attribute.write(type, value); // HDF5's C++ write(DataType, std::string) passes a char** for a variable string
        attribute.deallocate();
        space.deallocate();
        type.deallocate();
    }

    private static void floatDataset(Group group, String name, INDArray value) {
        INDArray c = value.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c');
        long[] shape = c.shape();
        DataSpace space = new DataSpace(shape.length, shape);
        DataType type = new DataType(PredType.NATIVE_FLOAT());
        org.bytedeco.hdf5.DataSet dataset = group.createDataSet(name, type, space);
        FloatPointer pointer = new FloatPointer(c.data().asFloat());
        dataset.write(pointer, type);
        pointer.deallocate();
        dataset.deallocate();
        space.deallocate();
    }
}
