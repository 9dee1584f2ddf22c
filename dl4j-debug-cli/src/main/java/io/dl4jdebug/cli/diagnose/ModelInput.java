package io.dl4jdebug.cli.diagnose;

import io.dl4jdebug.model.NetworkOps;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Map;

/**
 * What a network reads and writes, as far as the data must be shaped for it: recurrent input or not (its first layer
 * is recurrent: LSTM, SimpleRnn, a Bidirectional, LastTimeStep or MaskZero wrapper of one, TimeDistributed) and in
 * which layout (NCW {@code [n, features, steps]}, DL4J's default, or NWC {@code [n, steps, features]}, the layout of
 * imported Keras layers); one output per time step (RnnOutputLayer, RnnLossLayer) or one per example.
 *
 * @param recurrent     the first layer reads sequences
 * @param inputFormat   its layout, NCW when not recurrent
 * @param perStepOutput the output layer gives one output per time step
 * @param outputFormat  the output's layout when per step, NCW otherwise
 */
public record ModelInput(boolean recurrent, RNNFormat inputFormat, boolean perStepOutput, RNNFormat outputFormat) {

    /** A feed-forward network. */
    public static final ModelInput FEED_FORWARD = new ModelInput(false, RNNFormat.NCW, false, RNNFormat.NCW);

    /**
     * @param ops the network
     * @return what its first and last layers read and write
     */
    public static ModelInput of(NetworkOps ops) {
        Map<String, Layer> layers = ops.layerConfigurations();
        if (layers.isEmpty()) {
            return FEED_FORWARD;
        }
        Layer first = layers.values().iterator().next();
        RNNFormat in = format(first);
        Layer last = layers.get(ops.view().outputLayerName());
        RNNFormat out = last instanceof RnnOutputLayer o ? orNcw(o.getRnnDataFormat())
                : last instanceof RnnLossLayer l ? orNcw(l.getRnnDataFormat()) : null;
        return new ModelInput(in != null, in == null ? RNNFormat.NCW : in, out != null, out == null ? RNNFormat.NCW
                : out);
    }

    private static RNNFormat orNcw(RNNFormat f) {
        return f == null ? RNNFormat.NCW : f;
    }

    /** @return the layer's recurrent layout, null when it does not read sequences */
    private static RNNFormat format(Layer layer) {
        try {
            return orNcw(TimeSeriesUtils.getFormatFromRnnLayer(layer));
        } catch (IllegalStateException | NullPointerException e) {
            return null;
        }
    }

    /**
     * Fits the labels of sequence data (NCW, as DataVec and {@code FashionMnist.asSequences} give it) to the network's
     * output: per-step labels {@code [n, classes, steps]} are reduced to each sequence's last (unmasked) step where it
     * gives one output per example. The features stay NCW, the layout in which ND4J's {@code DataSet.merge} pads and
     * masks sequences of different lengths; {@link #layout} turns minibatches into the network's layout.
     *
     * @param data sequence data in NCW
     * @return the data with labels as the network's output gives them
     */
    public DataSet fitLabels(DataSet data) {
        if (data.getLabels().rank() != 3 || perStepOutput) {
            return data;
        }
        return new DataSet(data.getFeatures(), lastStep(data.getLabels(), data.getLabelsMaskArray()),
                data.getFeaturesMaskArray(), null);
    }

    /**
     * @param ncw a minibatch with NCW sequences (or feed-forward data, returned as it is)
     * @return the minibatch in the network's layout: features permuted to NWC where its first layer reads NWC,
     *         per-step labels where its output is NWC
     */
    public DataSet layout(DataSet ncw) {
        INDArray features = ncw.getFeatures();
        INDArray labels = ncw.getLabels();
        boolean permuteFeatures = features.rank() == 3 && inputFormat == RNNFormat.NWC;
        boolean permuteLabels = labels != null && labels.rank() == 3 && outputFormat == RNNFormat.NWC;
        if (!permuteFeatures && !permuteLabels) {
            return ncw;
        }
        return new DataSet(permuteFeatures ? features.permute(0, 2, 1).dup('c') : features,
                permuteLabels ? labels.permute(0, 2, 1).dup('c') : labels, ncw.getFeaturesMaskArray(),
                ncw.getLabelsMaskArray());
    }

    /**
     * @param ncw minibatches with NCW sequences
     * @return each in the network's layout
     */
    public java.util.List<DataSet> layout(java.util.List<DataSet> ncw) {
        return ncw.stream().map(this::layout).toList();
    }

    /**
     * @param ncwFeatures features, NCW when they are sequences
     * @return the shape of one example as the network reads it ({@code [steps, features]} for NWC)
     */
    public long[] exampleShape(INDArray ncwFeatures) {
        long[] shape = java.util.Arrays.copyOfRange(ncwFeatures.shape(), 1, ncwFeatures.rank());
        return shape.length == 2 && ncwFeatures.rank() == 3 && inputFormat == RNNFormat.NWC
                ? new long[] {shape[1], shape[0]} : shape;
    }

    /** @return {@code [n, classes]}: each example's labels at its last step that the mask keeps */
    private static INDArray lastStep(INDArray labels, INDArray mask) {
        long n = labels.size(0);
        long steps = labels.size(2);
        INDArray result = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(steps - 1))
                .dup('c');
        if (mask == null) {
            return result;
        }
        for (int i = 0; i < n; i++) {
            long t = steps - 1;
            while (t > 0 && mask.getDouble(i, t) == 0) {
                t--;
            }
            result.putRow(i, labels.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t)));
        }
        return result;
    }

    /** @return "recurrent (NWC [steps, features])" or "feed-forward", for the data line */
    public String describe() {
        return !recurrent ? "feed-forward" : "recurrent, " + inputFormat + (inputFormat == RNNFormat.NWC
                ? " [steps, features]" : " [features, steps]");
    }
}
