package io.dl4jdebug.measure;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reduces the two activation gradients of a layer's backward pass to {@link BackwardStats}: one L2-norm reduction
 * per array, both written into one {@link ScalarBatch} and read to the JVM at once (one {@link HostReads host
 * read}); the exact non-finite count runs only when a norm is not finite. Temporaries are allocated outside DL4J's
 * workspaces. Stateless and thread safe.
 */
public final class BackwardProbe {

    private static final int OUT = 0;
    private static final int IN = 1;
    private static final int PARAMS = 2;

    private final ScalarBatch.Path path;

    /** A probe that reduces the way the backend does fastest ({@link ScalarBatch.Path#forBackend}). */
    public BackwardProbe() {
        this(ScalarBatch.Path.forBackend());
    }

    /**
     * @param path how L2 norms are reduced (tests run the device path on the CPU)
     */
    BackwardProbe(ScalarBatch.Path path) {
        this.path = path;
    }

    /**
     * Measures one layer's backward pass.
     *
     * @param layer          the layer name
     * @param outputGradient dL/d(output), the epsilon the layer received
     * @param inputGradient  dL/d(input), the epsilon the layer returned, or null when it returned none
     * @return the statistics
     */
    public BackwardStats measure(String layer, INDArray outputGradient, INDArray inputGradient) {
        return measure(layer, outputGradient, inputGradient, null).stats();
    }

    /**
     * Measures one layer's backward pass and checks its parameter gradients for non-finite values in the same host
     * read (their sum goes into the same batch as the two norms).
     *
     * @param layer              the layer name
     * @param outputGradient     dL/d(output), the epsilon the layer received
     * @param inputGradient      dL/d(input), the epsilon the layer returned, or null when it returned none
     * @param parameterGradients the layer's gradient view (all its parameter gradients), or null to skip the check
     * @return the statistics and whether the parameter gradients are all finite (true when not checked)
     */
    public Measured measure(String layer, INDArray outputGradient, INDArray inputGradient,
                            INDArray parameterGradients) {
        long outSize = size(outputGradient);
        long inSize = size(inputGradient);
        long paramSize = size(parameterGradients);
        if (outSize == 0 && inSize == 0 && paramSize == 0) {
            return new Measured(new BackwardStats(layer, 0, 0, 0, 0, 0, 0), true);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
             ScalarBatch batch = batch(path).start()) {
            if (outSize > 0) {
                batch.l2(OUT, outputGradient);
            }
            if (inSize > 0) {
                batch.l2(IN, inputGradient);
            }
            if (paramSize > 0) {
                batch.l1(PARAMS, parameterGradients);
            }
            double[] norms = batch.read();
            long outBad = outSize == 0 ? 0 : NonFiniteProbe.countIfSuspicious(outputGradient, norms[OUT]);
            long inBad = inSize == 0 ? 0 : NonFiniteProbe.countIfSuspicious(inputGradient, norms[IN]);
            boolean paramsFinite = paramSize == 0
                    || NonFiniteProbe.countIfSuspicious(parameterGradients, norms[PARAMS]) == 0;
            return new Measured(new BackwardStats(layer, outSize, norms[OUT], outBad, inSize, norms[IN], inBad),
                    paramsFinite);
        }
    }

    /**
     * A backward measurement with the parameter-gradient check made in the same read.
     *
     * @param stats                    the norms and non-finite counts of the two activation gradients
     * @param parameterGradientsFinite false when a parameter gradient holds a NaN or infinite value
     */
    public record Measured(BackwardStats stats, boolean parameterGradientsFinite) {
    }

    /** @return this thread's batch for the path (made outside DL4J's workspaces, by the caller's scope) */
    private static ScalarBatch batch(ScalarBatch.Path path) {
        return ScalarBatch.forThread(path, 3, 0);
    }

    private static long size(INDArray array) {
        return array == null || array.isEmpty() ? 0 : array.length();
    }
}
