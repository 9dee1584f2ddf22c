package io.dl4jdebug.measure;

import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures trainable parameters in two steps that follow DL4J's callback order: the raw gradient in
 * {@code onGradientCalculation} (before the updater overwrites it), then the applied update and the parameter in
 * {@code iterationDone}. One L2-norm reduction per array; non-finite values are counted only when a norm is not
 * finite. Holds the raw-gradient norms between the two steps in a fixed-size array. Not thread safe.
 */
public final class ParameterProbe {

    private final List<ParameterInfo> parameters;
    private final double[] gradientNorms;
    private final long[] nonFiniteGradients;
    private int minibatchSize = -1;

    /**
     * @param view the network's view; its trainable parameters are measured
     */
    public ParameterProbe(ModelView view) {
        List<ParameterInfo> trainable = new ArrayList<>();
        for (ParameterInfo p : view.parameters()) {
            if (p.isTrainable()) {
                trainable.add(p);
            }
        }
        this.parameters = List.copyOf(trainable);
        this.gradientNorms = new double[parameters.size()];
        this.nonFiniteGradients = new long[parameters.size()];
    }

    /** @return the parameters this probe measures, in topological order */
    public List<ParameterInfo> parameters() {
        return parameters;
    }

    /**
     * Step 1, in {@code onGradientCalculation}: norms of the raw gradient (divided by the minibatch size).
     *
     * @param view the network's view
     */
    public void measureRawGradients(ModelView view) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            minibatchSize = Math.max(1, view.minibatchSize());
            for (int i = 0; i < parameters.size(); i++) {
                Optional<INDArray> g = view.gradientArray(parameters.get(i));
                if (g.isPresent()) {
                    double norm = DenseReductions.l2(g.get());
                    gradientNorms[i] = norm / minibatchSize;
                    nonFiniteGradients[i] = NonFiniteProbe.countIfSuspicious(g.get(), norm);
                } else {
                    gradientNorms[i] = 0;
                    nonFiniteGradients[i] = 0;
                }
            }
        }
    }

    /** @return true when {@link #measureRawGradients} ran since the last {@link #finish} */
    public boolean hasRawGradients() {
        return minibatchSize > 0;
    }

    /**
     * Step 2, in {@code iterationDone}: norms of the applied update and of the updated parameter, combined with the
     * raw-gradient norms of step 1 into a snapshot.
     *
     * @param view      the network's view
     * @param iteration the iteration DL4J reports
     * @param epoch     the epoch DL4J reports
     * @return the snapshot
     * @throws IllegalStateException when step 1 did not run for this iteration
     */
    public GradientSnapshot finish(ModelView view, long iteration, int epoch) {
        if (!hasRawGradients()) {
            throw new IllegalStateException("raw gradients were not measured for iteration " + iteration);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            List<ParameterStats> stats = new ArrayList<>(parameters.size());
            for (int i = 0; i < parameters.size(); i++) {
                ParameterInfo p = parameters.get(i);
                INDArray param = view.parameterArray(p);
                double paramNorm = DenseReductions.l2(param);
                double updateNorm = view.gradientArray(p).map(DenseReductions::l2).orElse(0.0);
                stats.add(new ParameterStats(p.layer(), p.key(), paramNorm, gradientNorms[i], updateNorm,
                        nonFiniteGradients[i], NonFiniteProbe.countIfSuspicious(param, paramNorm)));
            }
            GradientSnapshot snapshot = new GradientSnapshot(iteration, epoch, minibatchSize, stats);
            minibatchSize = -1;
            return snapshot;
        }
    }
}
