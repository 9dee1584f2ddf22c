package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.preflight.ChecklistConfig;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checklist item {@code optimizer.learning-rate}: learning rates are within a plausible range for their updater, and
 * no layer uses NoOp. For a momentum updater the rate judged is the effective step size {@code rate / (1 - momentum)}
 * (the velocity sums past steps geometrically, so a momentum of 0.999 multiplies the configured rate by 1000), times
 * the minibatch size when the gradients are summed ({@code miniBatch(false)}).
 */
final class LearningRateCheck extends BaseCheck {

    LearningRateCheck() {
        super("optimizer.learning-rate", Level.OPTIMIZATION, Symptom.LEARNING_RATE_TOO_HIGH);
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataSet first = ctx.first();
        ChecklistConfig config = ctx.config();
        Map<String, Layer> confs = ctx.layerConfigurations();
        ModelView view = ctx.view();
        Map<String, List<String>> layersByUpdater = new LinkedHashMap<>();
        Map<String, IUpdater> updaters = new HashMap<>();
        for (Map.Entry<String, Layer> e : confs.entrySet()) {
            Layer inner = ModelView.innermost(e.getValue());
            if (!(inner instanceof BaseLayer) || ((BaseLayer) inner).getIUpdater() == null) {
                continue;
            }
            if (view.layer(e.getKey()).map(l -> l.parameters().isEmpty()).orElse(true)) {
                continue;
            }
            IUpdater u = ((BaseLayer) inner).getIUpdater();
            layersByUpdater.computeIfAbsent(u.toString(), k -> new ArrayList<>()).add(e.getKey());
            updaters.putIfAbsent(u.toString(), u);
        }
        List<Finding> found = new ArrayList<>();
        double minSeen = Double.POSITIVE_INFINITY;
        double maxSeen = 0;
        for (Map.Entry<String, List<String>> e : layersByUpdater.entrySet()) {
            IUpdater u = updaters.get(e.getKey());
            String layers = String.join(", ", e.getValue());
            String firstLayer = e.getValue().get(0);
            if (u instanceof NoOp) {
                found.add(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.ERROR, "layers " + layers
                                + " use the NoOp updater: their parameters never change")
                        .layer(firstLayer).evidence("learningRate", 0)
                        .suggest(".updater(new Adam(1e-3))").build());
                continue;
            }
            if (!u.hasLearningRate()) {
                continue;
            }
            double lr = u.getLearningRate(0, 0);
            boolean adaptive = u instanceof Adam || u instanceof AdaMax || u instanceof Nadam
                    || u instanceof AMSGrad || u instanceof RmsProp || u instanceof AdaGrad
                    || u instanceof AdaBelief;
            double max = adaptive ? config.maxAdaptiveLearningRate() : config.maxSgdLearningRate();
            minSeen = Math.min(minSeen, lr);
            maxSeen = Math.max(maxSeen, lr);
            String updaterName = u.getClass().getSimpleName();
            double momentum = u instanceof Nesterovs n ? momentumAtStart(n) : 0;
            int summedOver = !adaptive && !miniBatchAveraged(view) && first != null ? first.numExamples() : 1;
            double effective = (momentum > 0 && momentum < 1 ? lr / (1 - momentum) : lr) * summedOver;
            if (effective > max && effective > lr) {
                String why = (momentum > 0 ? String.format(java.util.Locale.ROOT, " / (1 - momentum %.4g)", momentum)
                        : "") + (summedOver > 1 ? " x " + summedOver + " (gradients summed over the minibatch, "
                        + "miniBatch(false))" : "");
                found.add(Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, String.format(
                                java.util.Locale.ROOT, "%s learning rate %.3g on layers %s: the effective step rate%s"
                                        + " = %.3g is above the plausible maximum %.3g", updaterName, lr, layers, why,
                                effective, max))
                        .layer(firstLayer).evidence("learningRate", lr).evidence("momentum", momentum)
                        .evidence("summedOver", summedOver)
                        .evidence("effectiveLearningRate", effective).evidence("maxLearningRate", max)
                        .suggest(summedOver > 1 ? ".miniBatch(true): average the gradients over the minibatch"
                                : "new Nesterovs(" + lr + ", 0.9): momentum 0.9 (effective step 10x the rate)")
                        .build());
            } else if (lr > max) {
                found.add(Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN, String.format(
                                java.util.Locale.ROOT, "%s learning rate %.3g on layers %s is above the plausible"
                                        + " maximum %.3g", updaterName, lr, layers, max))
                        .layer(firstLayer).evidence("learningRate", lr).evidence("maxLearningRate", max)
                        .suggest(adaptive ? ".updater(new " + updaterName + "(1e-3))"
                                : ".updater(new Sgd(0.01)) or .updater(new Adam(1e-3))")
                        .build());
            } else if (lr < config.minLearningRate()) {
                found.add(Finding.builder(Symptom.LEARNING_RATE_TOO_LOW, Severity.WARN, String.format(
                                java.util.Locale.ROOT, "%s learning rate %.3g on layers %s is below the plausible"
                                        + " minimum %.3g", updaterName, lr, layers, config.minLearningRate()))
                        .layer(firstLayer).evidence("learningRate", lr)
                        .evidence("minLearningRate", config.minLearningRate())
                        .suggest(".updater(new Adam(1e-3))").build());
            }
        }
        if (!found.isEmpty()) {
            return CheckResult.problem(this, CheckStatus.WARN,
                    found.stream().map(Finding::message).collect(Collectors.joining("; ")),
                    found);
        }
        Map<String, Double> ev = new LinkedHashMap<>();
        if (maxSeen > 0) {
            ev.put("minLearningRate", minSeen);
            ev.put("maxLearningRate", maxSeen);
        }
        if (first != null) {
            ev.put("batchSize", (double) first.numExamples());
        }
        return CheckResult.pass(this, "learning rates plausible: " + layersByUpdater.keySet(), ev);
    }

    /** @return whether the network averages its gradients over the minibatch (DL4J's default) */
    private static boolean miniBatchAveraged(ModelView view) {
        if (view.model() instanceof org.deeplearning4j.nn.graph.ComputationGraph cg) {
            return cg.getConfiguration().getDefaultConfiguration().isMiniBatch();
        }
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf =
                ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) view.model()).getLayerWiseConfigurations();
        return conf.getConfs().isEmpty() || conf.getConf(0).isMiniBatch();
    }

    /** @return the momentum at iteration 0 (its schedule's first value when it has one) */
    private static double momentumAtStart(Nesterovs n) {
        return n.getMomentumISchedule() != null ? n.getMomentumISchedule().valueAt(0, 0) : n.getMomentum();
    }
}
