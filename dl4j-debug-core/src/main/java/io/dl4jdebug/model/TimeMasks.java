package io.dl4jdebug.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the time-step mask of a recurrent layer's output inside {@code onForwardPass}. DL4J 1.0.0-M2.1 keeps no
 * mask on an {@code LSTM} itself (its {@code feedForwardMaskArray} passes the mask on without storing it), so the
 * masks are collected where DL4J does store them for the current minibatch: a {@code ComputationGraph}'s input
 * masks, the masks that feed-forward layers, {@code LastTimeStep} and {@code Bidirectional} keep, and the labels
 * mask on the output layer (set before the forward pass by {@code setLayerMaskArrays}, cleared after the
 * minibatch). A rank-3 output {@code [minibatch, units, time]} (or NWC) gets the first of them, features masks
 * first, whose shape is {@code [minibatch, time]} (or the {@code [minibatch * time, 1]} column, in 'f' order, that
 * {@code RnnOutputLayer} keeps): padded steps of the features, or, when only the labels carry a mask, the steps that
 * are not scored. Outputs without a time axis ({@code LastTimeStep}, global pooling, dense
 * layers) get none. Stateless.
 */
final class TimeMasks {

    private TimeMasks() {
    }

    /**
     * @param model           the network
     * @param implementations its layers, output layers last
     * @return the rank-2 masks DL4J holds now, features masks first, then labels masks (possibly empty)
     */
    static List<INDArray> current(org.deeplearning4j.nn.api.Model model, Iterable<Layer> implementations) {
        List<INDArray> features = new ArrayList<>();
        List<INDArray> labels = new ArrayList<>();
        if (model instanceof ComputationGraph cg) {
            addAll(features, cg.getInputMaskArrays());
            addAll(labels, cg.getLabelMaskArrays());
        }
        for (Layer impl : implementations) {
            if (impl == null) {
                continue;
            }
            INDArray mask = impl.getMaskArray();
            if (mask != null && mask.rank() == 2) {
                boolean output = impl instanceof org.deeplearning4j.nn.api.layers.IOutputLayer;
                (output ? labels : features).add(mask);
            }
        }
        if (model instanceof MultiLayerNetwork mln && mln.getMask() != null) {
            features.add(0, mln.getMask());
        }
        features.addAll(labels);
        return features;
    }

    private static void addAll(List<INDArray> into, INDArray[] masks) {
        if (masks != null) {
            for (INDArray m : masks) {
                if (m != null && m.rank() == 2) {
                    into.add(m);
                }
            }
        }
    }

    /**
     * @param masks    the candidates of {@link #current}
     * @param output   a layer's output
     * @param unitAxis the output's unit axis (1 for NCW, 2 for NWC)
     * @return the first candidate of shape {@code [minibatch, time]} for a rank-3 output, else null
     */
    static INDArray ofOutput(List<INDArray> masks, INDArray output, int unitAxis) {
        if (output.rank() != 3 || masks.isEmpty()) {
            return null;
        }
        int timeAxis = unitAxis == 2 ? 1 : 2;
        long examples = output.size(0);
        long steps = output.size(timeAxis);
        for (INDArray mask : masks) {
            if (mask.size(0) == examples && mask.size(1) == steps) {
                return mask;
            }
        }
        for (INDArray mask : masks) {
            // RnnOutputLayer keeps its labels mask as one column in 'f' order (TimeSeriesUtils
            // .reshapeTimeSeriesMaskToVector): row e + t * minibatch.
            if (steps > 1 && mask.size(1) == 1 && mask.size(0) == examples * steps) {
                return mask.reshape('f', examples, steps);
            }
        }
        return null;
    }
}
