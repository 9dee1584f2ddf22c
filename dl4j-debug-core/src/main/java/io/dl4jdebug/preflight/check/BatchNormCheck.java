package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.CheckStatus;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checklist item {@code config.batchnorm}: BatchNormalization layers do not start with gamma 0 everywhere, keep
 * updating their running statistics and see minibatches of more than one example.
 */
final class BatchNormCheck implements ChecklistCheck {

    @Override
    public String id() {
        return "config.batchnorm";
    }

    @Override
    public Level level() {
        return Level.CODE;
    }

    @Override
    public Symptom symptom() {
        return Symptom.BATCHNORM_MISCONFIGURED;
    }

    @Override
    public CheckResult run(CheckContext ctx) {
        DataSet first = ctx.first();
        Map<String, Layer> confs = ctx.layerConfigurations();
        Map<String, BatchNormalization> bns = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : confs.entrySet()) {
            if (ModelView.innermost(e.getValue()) instanceof BatchNormalization) {
                bns.put(e.getKey(), (BatchNormalization) ModelView.innermost(e.getValue()));
            }
        }
        if (bns.isEmpty()) {
            return CheckResult.pass(this, "no BatchNormalization layer", Map.of("batchNormLayers", 0.0));
        }
        List<Finding> found = new ArrayList<>();
        List<String> zeroGamma = new ArrayList<>();
        for (Map.Entry<String, BatchNormalization> e : bns.entrySet()) {
            BatchNormalization bn = e.getValue();
            if (bn.isLockGammaBeta() && bn.getGamma() == 0.0) {
                found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.ERROR, "BatchNormalization "
                                + e.getKey() + " has lockGammaBeta(true) with gamma 0: backpropagation multiplies "
                                + "by gamma, so no layer below it learns" + (bn.getBeta() != 0.0
                                ? ", and its output is the constant beta " + bn.getBeta() : ""))
                        .layer(e.getKey()).evidence("gamma", bn.getGamma()).evidence("beta", bn.getBeta())
                        .evidence("lockGammaBeta", 1.0)
                        .suggest("remove lockGammaBeta(true), or lock gamma at 1: new BatchNormalization"
                                + ".Builder(1.0, 0.0, true)")
                        .build());
            } else if (!bn.isLockGammaBeta() && bn.getGamma() == 0.0) {
                zeroGamma.add(e.getKey());
            }
            if (bn.getDecay() >= 1.0) {
                found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, "BatchNormalization "
                                + e.getKey() + " has decay " + bn.getDecay() + ": its running mean and variance "
                                + "never update, so inference (evaluation, score) uses the initial 0/1 statistics")
                        .layer(e.getKey()).evidence("decay", bn.getDecay())
                        .suggest(".decay(0.9) (DL4J's default) on the BatchNormalization builder").build());
            }
        }
        if (!zeroGamma.isEmpty() && zeroGamma.size() == bns.size()) {
            String firstLayer = zeroGamma.get(0);
            found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.ERROR, "every "
                            + "BatchNormalization layer (" + String.join(", ", zeroGamma) + ") starts with gamma 0:"
                            + " each normalizes to a constant, so the network's output is constant and the loss "
                            + "stays at its initial value")
                    .layer(firstLayer).evidence("layersWithGammaZero", zeroGamma.size())
                    .evidence("batchNormLayers", bns.size())
                    .suggest("keep gamma(1.0) (the default); zero-init gamma only on the LAST BatchNormalization"
                            + " of each residual branch")
                    .build());
        }
        int batch = first == null ? -1 : first.numExamples();
        if (batch == 1) {
            found.add(Finding.builder(Symptom.BATCHNORM_MISCONFIGURED, Severity.WARN, "minibatches of 1 "
                            + "example with BatchNormalization: batch statistics of one example normalize every "
                            + "activation to beta")
                    .layer(bns.keySet().iterator().next()).evidence("batchSize", batch)
                    .suggest("use minibatches of at least 8-16 examples, or remove BatchNormalization").build());
        }
        if (!found.isEmpty()) {
            boolean error = found.stream().anyMatch(f -> f.severity() == Severity.ERROR);
            return CheckResult.problem(this,
                    error ? CheckStatus.FAIL : CheckStatus.WARN, found.stream().map(Finding::message)
                    .collect(Collectors.joining("; ")), found);
        }
        return CheckResult.pass(this, bns.size() + " BatchNormalization layers configured plausibly"
                        + (zeroGamma.isEmpty() ? "" : " (gamma 0 on " + zeroGamma + " only: zero-init residual)"),
                Map.of("batchNormLayers", (double) bns.size(), "batchSize", (double) batch));
    }
}
