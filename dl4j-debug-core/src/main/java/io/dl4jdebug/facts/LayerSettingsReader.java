package io.dl4jdebug.facts;

import io.dl4jdebug.diagnose.LayerSettings;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one layer configuration's width and the settings on its gradient-to-update path into a
 * {@link LayerSettings}: L1 and weight decay, the clipping threshold, the updater's hyper-parameters, and its
 * learning-rate schedule sampled at {@link LayerSettings#SAMPLED_ITERATIONS} and over
 * {@link LayerSettings#SAMPLED_EPOCHS} epochs. Stateless.
 */
final class LayerSettingsReader {

    private LayerSettingsReader() {
    }

    /**
     * @param conf         the layer's innermost configuration (null for a vertex)
     * @param hasParameters whether the layer has parameters (the updater is read only then)
     * @return its settings
     */
    static LayerSettings read(Layer conf, boolean hasParameters) {
        if (conf == null) {
            return LayerSettings.UNKNOWN;
        }
        int width = conf instanceof FeedForwardLayer ff ? (int) Math.min(Integer.MAX_VALUE, ff.getNOut()) : 0;
        boolean inferenceDiffers = conf.getIDropout() != null || conf instanceof BatchNormalization
                || conf.getClass().getSimpleName().contains("Dropout")
                || conf.getClass().getSimpleName().contains("Noise");
        if (!(conf instanceof BaseLayer b)) {
            return new LayerSettings(width, 0, 0, 0, Map.of(), "", List.of(), List.of(), inferenceDiffers);
        }
        double l1 = 0;
        double decay = 0;
        if (b.getRegularization() != null) {
            for (Regularization r : b.getRegularization()) {
                if (r instanceof L1Regularization l) {
                    l1 = Math.max(l1, l.getL1().valueAt(0, 0));
                } else if (r instanceof WeightDecay w) {
                    decay = Math.max(decay, w.getCoeff().valueAt(0, 0));
                }
            }
        }
        IUpdater u = hasParameters ? b.getIUpdater() : null;
        String schedule = "";
        List<Double> byIteration = new ArrayList<>();
        List<Double> byEpoch = new ArrayList<>();
        if (u != null && u.hasLearningRate()) {
            ISchedule s = schedule(u);
            if (s != null) {
                schedule = String.valueOf(s);
                for (long i : LayerSettings.SAMPLED_ITERATIONS) {
                    byIteration.add(u.getLearningRate((int) Math.min(Integer.MAX_VALUE, i), 0));
                }
                for (int e = 0; e < LayerSettings.SAMPLED_EPOCHS; e++) {
                    byEpoch.add(u.getLearningRate(0, e));
                }
            }
        }
        return new LayerSettings(width, l1, decay, b.getGradientNormalizationThreshold(), hyperParameters(u),
                schedule, byIteration, byEpoch, inferenceDiffers,
                conf instanceof BatchNormalization bn ? bn.getEps() : 0);
    }

    /** @return the updater's learning-rate schedule, null for a fixed rate */
    private static ISchedule schedule(IUpdater u) {
        try {
            Method m = u.getClass().getMethod("getLearningRateSchedule");
            Object s = m.invoke(u);
            return s instanceof ISchedule is ? is : null;
        } catch (ReflectiveOperationException e) {
            return null; // an updater without a schedule property (NoOp, AdaDelta)
        }
    }

    private static Map<String, Double> hyperParameters(IUpdater u) {
        Map<String, Double> p = new LinkedHashMap<>();
        if (u instanceof Adam a) {
            adamLike(p, a.getBeta1(), a.getBeta2(), a.getEpsilon());
        } else if (u instanceof AdaMax a) {
            adamLike(p, a.getBeta1(), a.getBeta2(), a.getEpsilon());
        } else if (u instanceof Nadam a) {
            adamLike(p, a.getBeta1(), a.getBeta2(), a.getEpsilon());
        } else if (u instanceof AMSGrad a) {
            adamLike(p, a.getBeta1(), a.getBeta2(), a.getEpsilon());
        } else if (u instanceof Nesterovs n) {
            p.put("momentum", n.getMomentum());
        } else if (u instanceof RmsProp r) {
            p.put("rmsDecay", r.getRmsDecay());
            p.put("epsilon", r.getEpsilon());
        } else if (u instanceof AdaGrad g) {
            p.put("epsilon", g.getEpsilon());
        } else if (u instanceof AdaDelta d) {
            p.put("rho", d.getRho());
            p.put("epsilon", d.getEpsilon());
        }
        return p;
    }

    private static void adamLike(Map<String, Double> p, double beta1, double beta2, double epsilon) {
        p.put("beta1", beta1);
        p.put("beta2", beta2);
        p.put("epsilon", epsilon);
    }
}
