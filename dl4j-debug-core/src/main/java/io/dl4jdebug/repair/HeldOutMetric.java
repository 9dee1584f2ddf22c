package io.dl4jdebug.repair;

import io.dl4jdebug.diagnose.Verification.Metric;
import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The metric both copies of a network are compared on, one a changed loss function or output activation cannot
 * fake: when the labels are one-hot classes, the accuracy (arg-max of the output against the label's class, per
 * example or unmasked time step); otherwise the loss of the network's <em>original</em> output loss function on the
 * copy's output (taken as it is, identity activation), without regularization. Measured in inference mode on
 * held-out examples. A copy whose training broke (a non-finite value) or whose output is not finite scores the worst
 * value: accuracy 0, loss +Infinity. Immutable; not thread safe (ND4J arrays).
 */
final class HeldOutMetric {

    private final Metric metric;
    private final ILossFunction originalLoss;

    private HeldOutMetric(Metric metric, ILossFunction originalLoss) {
        this.metric = metric;
        this.originalLoss = originalLoss;
    }

    /**
     * @param network the user's network (its output layer's loss is the original objective)
     * @param heldOut the held-out examples (their labels decide between accuracy and loss)
     * @return the metric for this network and data
     * @throws IllegalArgumentException when the network has no output layer with a loss function
     */
    static HeldOutMetric of(Model network, DataSet heldOut) {
        ILossFunction loss = outputLoss(network);
        return new HeldOutMetric(isOneHot(heldOut.getLabels(), heldOut.getLabelsMaskArray()) ? Metric.ACCURACY
                : Metric.LOSS, loss);
    }

    /** @return accuracy or loss */
    Metric metric() {
        return metric;
    }

    /** @return the worst value of the metric: accuracy 0, loss +Infinity */
    double worst() {
        return metric == Metric.ACCURACY ? 0 : Double.POSITIVE_INFINITY;
    }

    /**
     * @param copy    a trained copy of the network
     * @param heldOut the held-out examples (as the copy's input must see them)
     * @return the metric of the copy on them, in inference mode
     */
    double value(Model copy, DataSet heldOut) {
        INDArray out;
        if (copy instanceof MultiLayerNetwork m) {
            out = m.output(heldOut.getFeatures(), false, heldOut.getFeaturesMaskArray(),
                    heldOut.getLabelsMaskArray());
        } else {
            ComputationGraph g = (ComputationGraph) copy;
            INDArray fm = heldOut.getFeaturesMaskArray();
            INDArray lm = heldOut.getLabelsMaskArray();
            out = g.output(false, new INDArray[]{heldOut.getFeatures()}, fm == null ? null : new INDArray[]{fm},
                    lm == null ? null : new INDArray[]{lm})[0];
        }
        INDArray labels = heldOut.getLabels();
        INDArray mask = heldOut.getLabelsMaskArray();
        if (out.rank() == 3) {
            out = TimeSeriesUtils.reshape3dTo2d(out);
            labels = TimeSeriesUtils.reshape3dTo2d(labels);
            mask = mask == null ? null : TimeSeriesUtils.reshapeTimeSeriesMaskToVector(mask);
        }
        if (!org.nd4j.linalg.indexing.BooleanIndexing.and(out, org.nd4j.linalg.indexing.conditions.Conditions.isFinite())) {
            return worst();
        }
        double v = metric == Metric.ACCURACY ? accuracy(out, labels, mask)
                : originalLoss.computeScore(labels, out.dup(), new ActivationIdentity(), mask, true);
        return Double.isNaN(v) ? worst() : v;
    }

    private static double accuracy(INDArray out, INDArray labels, INDArray mask) {
        INDArray hit = out.argMax(1).eq(labels.argMax(1)).castTo(out.dataType());
        if (mask == null) {
            return hit.meanNumber().doubleValue();
        }
        INDArray m = mask.reshape(mask.length()).castTo(out.dataType());
        double n = m.sumNumber().doubleValue();
        return n == 0 ? 0 : hit.reshape(hit.length()).mul(m).sumNumber().doubleValue() / n;
    }

    /** @return true when every (unmasked) row of the labels is 0/1 with exactly one 1, over at least 2 columns */
    static boolean isOneHot(INDArray labels, INDArray mask) {
        INDArray l = labels.rank() == 3 ? TimeSeriesUtils.reshape3dTo2d(labels) : labels;
        if (l.rank() != 2 || l.columns() < 2) {
            return false;
        }
        org.nd4j.linalg.api.buffer.DataType t = org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        INDArray d = l.castTo(t);
        INDArray binary = d.eq(0).castTo(t).addi(d.eq(1).castTo(t)).min(1);
        INDArray ok = binary.muli(d.sum(1).eq(1).castTo(t));
        if (mask != null) {
            INDArray m = (labels.rank() == 3 ? TimeSeriesUtils.reshapeTimeSeriesMaskToVector(mask) : mask)
                    .castTo(t).reshape(l.rows());
            ok = Transforms.max(ok, m.rsub(1));
        }
        return ok.minNumber().doubleValue() == 1;
    }

    private static ILossFunction outputLoss(Model network) {
        Layer out = null;
        if (network instanceof MultiLayerNetwork m) {
            var confs = m.getLayerWiseConfigurations().getConfs();
            out = ModelView.innermost(confs.get(confs.size() - 1).getLayer());
        } else {
            var conf = ((ComputationGraph) network).getConfiguration();
            GraphVertex v = conf.getVertices().get(conf.getNetworkOutputs().get(0));
            if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
                out = ModelView.innermost(lv.getLayerConf().getLayer());
            }
        }
        if (out instanceof BaseOutputLayer o && o.getLossFn() != null) {
            return o.getLossFn();
        }
        if (out instanceof org.deeplearning4j.nn.conf.layers.LossLayer o && o.getLossFn() != null) {
            return o.getLossFn();
        }
        throw new IllegalArgumentException("the network's output layer (" + (out == null ? "none"
                : out.getClass().getSimpleName()) + ") has no loss function; fixes can only be verified on a "
                + "network that ends in an output or loss layer");
    }
}
