package io.dl4jdebug.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A torchsummary/memlab-style summary of a network (the method's section 6.1): per layer, type, output shape,
 * parameters, and bytes of parameters, gradients, updater state and activations for a minibatch size; plus totals.
 *
 * <p>Shapes and memory come from DL4J's own estimate ({@code getMemoryReport} on the configuration), parameter
 * counts from the network itself, and the updater state is also measured on a copy of the network (the estimate and
 * the measurement can be compared: {@link #measuredUpdaterStateBytes()}).
 *
 * @param layers                    one row per layer or vertex, in topological order
 * @param batchSize                 the minibatch size the memory is computed for
 * @param dataType                  the network's data type
 * @param trainingBytes             DL4J's total estimate for training (parameters, gradients, updater state,
 *                                  activations, the largest working memory), cache mode NONE
 * @param inferenceBytes            DL4J's total estimate for inference
 * @param measuredUpdaterStateBytes bytes of the updater state allocated on a copy of the network (0 when the
 *                                  updater keeps none: Sgd, NoOp)
 */
public record ModelSummary(List<LayerSummary> layers, int batchSize, String dataType, long trainingBytes,
                           long inferenceBytes, long measuredUpdaterStateBytes) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the rows. */
    public ModelSummary {
        layers = List.copyOf(layers);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
        }
        Objects.requireNonNull(dataType, "dataType");
        if (trainingBytes < 0 || inferenceBytes < 0 || measuredUpdaterStateBytes < 0) {
            throw new IllegalArgumentException("byte counts must be >= 0 but were training=" + trainingBytes
                    + ", inference=" + inferenceBytes + ", updater=" + measuredUpdaterStateBytes);
        }
    }

    /**
     * Summarizes a network for minibatches of features shaped like a sample.
     *
     * @param model     an initialised MultiLayerNetwork or ComputationGraph with one input
     * @param features  a minibatch of features (only its shape is used: [b, n], [b, n, t] or [b, c, h, w])
     * @param batchSize the minibatch size to compute memory for
     * @return the summary
     */
    public static ModelSummary of(Model model, INDArray features, int batchSize) {
        Objects.requireNonNull(features, "features must not be null");
        return of(model, NetworkOps.inputTypeOf(features), batchSize);
    }

    /**
     * Summarizes a network.
     *
     * @param model     an initialised MultiLayerNetwork or ComputationGraph with one input
     * @param inputType the type of its input, e.g. {@code InputType.feedForward(784)}
     * @param batchSize the minibatch size to compute memory for
     * @return the summary
     */
    public static ModelSummary of(Model model, InputType inputType, int batchSize) {
        Objects.requireNonNull(inputType, "inputType must not be null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
        }
        NetworkOps ops = NetworkOps.of(model);
        if (ops.inputCount() != 1) {
            throw new IllegalArgumentException("the summary supports networks with one input, but the graph has "
                    + ops.inputCount());
        }
        ModelView view = ops.view();
        DataType dtype = ops.dataType();
        NetworkMemoryReport report = ops.memoryReport(inputType);
        Map<String, MemoryReport> byName = report.getLayerAndVertexReports();
        List<LayerSummary> rows = new ArrayList<>();
        for (LayerInfo layer : view.layers()) {
            MemoryReport mr = byName.get(layer.name());
            long params = layer.parameters().stream().mapToLong(ParameterInfo::length).sum();
            String in = "?";
            String out = "?";
            if (mr instanceof LayerMemoryReport) {
                LayerMemoryReport lmr = (LayerMemoryReport) mr;
                in = shape(lmr.getInputType(), batchSize);
                out = shape(lmr.getOutputType(), batchSize);
            }
            long bytesPer = dtype.width();
            rows.add(new LayerSummary(layer.name(), layer.type(), in, out, params, params * bytesPer,
                    layer.parameters().stream().filter(ParameterInfo::isTrainable)
                            .mapToLong(ParameterInfo::length).sum() * bytesPer,
                    bytes(mr, MemoryType.UPDATER_STATE, batchSize, dtype),
                    bytes(mr, MemoryType.ACTIVATIONS, batchSize, dtype),
                    bytes(mr, MemoryType.ACTIVATION_GRADIENTS, batchSize, dtype)));
        }
        long training = report.getTotalMemoryBytes(batchSize, MemoryUseMode.TRAINING, CacheMode.NONE, dtype);
        long inference = report.getTotalMemoryBytes(batchSize, MemoryUseMode.INFERENCE, CacheMode.NONE, dtype);
        INDArray state = ops.copy().updaterState();
        long measured = state == null ? 0 : state.length() * state.dataType().width();
        return new ModelSummary(rows, batchSize, dtype.toString(), training, inference, measured);
    }

    private static long bytes(MemoryReport mr, MemoryType type, int batch, DataType dtype) {
        if (mr == null) {
            return 0;
        }
        return mr.getMemoryBytes(type, batch, MemoryUseMode.TRAINING, CacheMode.NONE, dtype);
    }

    private static String shape(InputType type, int batch) {
        if (type == null) {
            return "?";
        }
        long[] s = type.getShape(true);
        s[0] = batch;
        return Arrays.toString(s);
    }

    /** @return total parameters */
    public long totalParameters() {
        return layers.stream().mapToLong(LayerSummary::parameters).sum();
    }

    /** @return bytes of all parameters */
    public long parameterBytes() {
        return layers.stream().mapToLong(LayerSummary::parameterBytes).sum();
    }

    /** @return DL4J's estimate of the updater state, summed over layers */
    public long estimatedUpdaterStateBytes() {
        return layers.stream().mapToLong(LayerSummary::updaterStateBytes).sum();
    }

    /** @return bytes of all output activations for one minibatch */
    public long activationBytes() {
        return layers.stream().mapToLong(LayerSummary::activationBytes).sum();
    }

    /** @return the summary as a text table, one row per layer, then totals */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-16s %-22s %-18s %12s %10s %10s %10s %10s%n";
        sb.append(String.format(Locale.ROOT, fmt, "Layer", "Type", "Output shape", "Params", "Param", "Grad",
                "Updater", "Activ."));
        sb.append("-".repeat(114)).append('\n');
        for (LayerSummary l : layers) {
            sb.append(String.format(Locale.ROOT, fmt, l.name(), l.type(), l.outputShape(),
                    String.format(Locale.ROOT, "%,d", l.parameters()), human(l.parameterBytes()),
                    human(l.gradientBytes()), human(l.updaterStateBytes()), human(l.activationBytes())));
        }
        sb.append("-".repeat(114)).append('\n');
        sb.append(String.format(Locale.ROOT, "Total parameters: %,d (%s, %s)%n", totalParameters(),
                human(parameterBytes()), dataType));
        sb.append(String.format(Locale.ROOT, "Updater state: %s estimated%s%n", human(estimatedUpdaterStateBytes()),
                ", " + human(measuredUpdaterStateBytes) + " allocated"));
        sb.append(String.format(Locale.ROOT, "Activations (batch %d): %s%n", batchSize, human(activationBytes())));
        sb.append(String.format(Locale.ROOT, "DL4J estimate for batch %d: training %s, inference %s%n", batchSize,
                human(trainingBytes), human(inferenceBytes)));
        return sb.toString();
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
