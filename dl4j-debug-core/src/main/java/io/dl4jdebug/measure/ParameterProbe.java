package io.dl4jdebug.measure;

import io.dl4jdebug.model.ModelView;
import io.dl4jdebug.model.ParameterInfo;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures trainable parameters in two steps that follow DL4J's callback order: the raw gradient in
 * {@code onGradientCalculation} (before the updater overwrites it), then the applied update and the parameter in
 * {@code iterationDone}. One L2-norm reduction per array, the norms of all parameters of one step written into one
 * small vector and read to the JVM at once: one {@link HostReads host read} per step (a {@link ScalarBatch}).
 * Non-finite values are counted only when a norm is not finite (one more read per such array, only then). Holds the
 * raw-gradient norms between the two steps in a fixed-size array. Not thread safe.
 */
public final class ParameterProbe {

    private final List<ParameterInfo> parameters;
    /** One batch per step, reused every measured iteration. */
    private final ScalarBatch rawBatch;
    private final ScalarBatch finishBatch;
    private final double[] gradientNorms;
    private final long[] nonFiniteGradients;
    private int minibatchSize = -1;

    /**
     * @param view the network's view; its trainable parameters are measured
     */
    public ParameterProbe(ModelView view) {
        this(view, ScalarBatch.Path.forBackend());
    }

    /**
     * @param view the network's view; its trainable parameters are measured
     * @param path how the norms are reduced (tests run the device path on the CPU)
     */
    ParameterProbe(ModelView view, ScalarBatch.Path path) {
        List<ParameterInfo> trainable = new ArrayList<>();
        for (ParameterInfo p : view.parameters()) {
            if (p.isTrainable()) {
                trainable.add(p);
            }
        }
        this.parameters = List.copyOf(trainable);
        this.gradientNorms = new double[parameters.size()];
        this.nonFiniteGradients = new long[parameters.size()];
        this.rawBatch = new ScalarBatch(path, parameters.size(), 0);
        this.finishBatch = new ScalarBatch(path, 2 * parameters.size(), 0);
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
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             ScalarBatch batch = rawBatch.start()) {
            minibatchSize = Math.max(1, view.minibatchSize());
            INDArray[] gradients = new INDArray[parameters.size()];
            for (int i = 0; i < parameters.size(); i++) {
                gradients[i] = view.gradientArray(parameters.get(i)).filter(g -> !g.isEmpty()).orElse(null);
                if (gradients[i] != null) {
                    batch.l2(i, gradients[i]);
                }
            }
            double[] norms = batch.read();
            for (int i = 0; i < parameters.size(); i++) {
                long bad = gradients[i] == null ? 0 : NonFiniteProbe.countIfSuspicious(gradients[i], norms[i]);
                gradientNorms[i] = gradients[i] == null ? 0 : finiteNormWhenFinite(gradients[i], norms[i], bad)
                        / minibatchSize;
                nonFiniteGradients[i] = bad;
            }
        }
    }

    /**
     * @param array the array
     * @param norm  its L2 norm from the batch
     * @param bad   its non-finite count (0 unless the norm was not finite)
     * @return the norm, or, when it overflowed although every value is finite, the overflow-safe BLAS norm (one
     *         more read, only in that case)
     */
    private static double finiteNormWhenFinite(INDArray array, double norm, long bad) {
        return Double.isFinite(norm) || bad > 0 ? norm : DenseReductions.l2(array);
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
        int k = parameters.size();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             ScalarBatch batch = finishBatch.start()) {
            INDArray[] params = new INDArray[k];
            INDArray[] updates = new INDArray[k];
            for (int i = 0; i < k; i++) {
                ParameterInfo p = parameters.get(i);
                params[i] = view.parameterArray(p);
                updates[i] = view.gradientArray(p).filter(u -> !u.isEmpty()).orElse(null);
                if (!params[i].isEmpty()) {
                    batch.l2(i, params[i]);
                }
                if (updates[i] != null) {
                    batch.l2(k + i, updates[i]);
                }
            }
            double[] norms = batch.read();
            List<ParameterStats> stats = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                ParameterInfo p = parameters.get(i);
                long badParams = params[i].isEmpty() ? 0 : NonFiniteProbe.countIfSuspicious(params[i], norms[i]);
                double paramNorm = params[i].isEmpty() ? 0 : finiteNormWhenFinite(params[i], norms[i], badParams);
                double updateNorm = updates[i] == null ? 0
                        : finiteNormWhenFinite(updates[i], norms[k + i],
                                Double.isFinite(norms[k + i]) ? 0 : NonFiniteProbe.count(updates[i]));
                stats.add(new ParameterStats(p.layer(), p.key(), paramNorm, gradientNorms[i], updateNorm,
                        nonFiniteGradients[i], badParams));
            }
            GradientSnapshot snapshot = new GradientSnapshot(iteration, epoch, minibatchSize, stats);
            minibatchSize = -1;
            return snapshot;
        }
    }
}
