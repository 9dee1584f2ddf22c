package io.dl4jdebug.testing;

import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays training step by step without any listener, inspecting every array in the order DL4J computes them,
 * and reports where the first non-finite value appears: the independent reference for the detector.
 */
public final class StepReplay {

    /** Where the replay found the first non-finite value. */
    public record Found(long iteration, NonFiniteEvent.Kind kind, String layer, String parameter) {
    }

    private StepReplay() {
    }

    public static Optional<Found> firstNonFinite(Model net, List<DataSet> batches) {
        ModelView view = ModelView.of(net);
        for (int it = 0; it < batches.size(); it++) {
            DataSet ds = batches.get(it);
            Optional<Found> f = forward(view, net, ds, it);
            if (f.isPresent()) {
                return f;
            }
            Model probe = clone(net);
            ModelView probeView = ModelView.of(probe);
            double score = gradientAndScore(probe, ds);
            if (!Double.isFinite(score)) {
                return Optional.of(new Found(it, NonFiniteEvent.Kind.SCORE, view.outputLayerName(), null));
            }
            for (ParameterInfo p : probeView.parameters()) {
                if (hasNonFinite(probe.gradient().gradientForVariable().get(p.flatKey()))) {
                    return Optional.of(new Found(it, NonFiniteEvent.Kind.GRADIENT, p.layer(), p.key()));
                }
            }
            fit(net, ds);
            for (ParameterInfo p : view.parameters()) {
                if (hasNonFinite(view.parameterArray(p))) {
                    return Optional.of(new Found(it, NonFiniteEvent.Kind.PARAMETER, p.layer(), p.key()));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Found> forward(ModelView view, Model net, DataSet ds, int it) {
        if (hasNonFinite(ds.getFeatures())) {
            return Optional.of(new Found(it, NonFiniteEvent.Kind.INPUT, "input", null));
        }
        if (net instanceof MultiLayerNetwork) {
            List<INDArray> acts = ((MultiLayerNetwork) net).feedForward(ds.getFeatures(), true);
            for (int i = 0; i < view.layers().size() - 1; i++) {
                if (hasNonFinite(acts.get(i + 1))) {
                    return Optional.of(new Found(it, NonFiniteEvent.Kind.ACTIVATION, view.layers().get(i).name(),
                            null));
                }
            }
        } else {
            Map<String, INDArray> acts = ((ComputationGraph) net).feedForward(ds.getFeatures(), true);
            for (LayerInfo layer : view.layers()) {
                if (!layer.outputLayer() && hasNonFinite(acts.get(layer.name()))) {
                    return Optional.of(new Found(it, NonFiniteEvent.Kind.ACTIVATION, layer.name(), null));
                }
            }
        }
        return Optional.empty();
    }

    private static Model clone(Model net) {
        return net instanceof MultiLayerNetwork ? ((MultiLayerNetwork) net).clone() : ((ComputationGraph) net).clone();
    }

    private static double gradientAndScore(Model net, DataSet ds) {
        if (net instanceof MultiLayerNetwork) {
            MultiLayerNetwork m = (MultiLayerNetwork) net;
            m.setInput(ds.getFeatures());
            m.setLabels(ds.getLabels());
            m.computeGradientAndScore();
            return m.score();
        }
        ComputationGraph g = (ComputationGraph) net;
        g.setInputs(ds.getFeatures());
        g.setLabels(ds.getLabels());
        g.computeGradientAndScore();
        return g.score();
    }

    private static void fit(Model net, DataSet ds) {
        if (net instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) net).fit(ds);
        } else {
            ((ComputationGraph) net).fit(ds);
        }
    }

    private static boolean hasNonFinite(INDArray a) {
        if (a == null) {
            return false;
        }
        for (double v : Naive.values(a)) {
            if (!Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }
}
