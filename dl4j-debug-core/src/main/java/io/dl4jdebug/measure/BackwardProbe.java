package io.dl4jdebug.measure;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reduces the two activation gradients of a layer's backward pass to {@link BackwardStats}: one L2-norm reduction
 * per array; the exact non-finite count runs only when a norm is not finite. Temporaries are allocated outside
 * DL4J's workspaces. Stateless and thread safe.
 */
public final class BackwardProbe {

    /**
     * Measures one layer's backward pass.
     *
     * @param layer          the layer name
     * @param outputGradient dL/d(output), the epsilon the layer received
     * @param inputGradient  dL/d(input), the epsilon the layer returned, or null when it returned none
     * @return the statistics
     */
    public BackwardStats measure(String layer, INDArray outputGradient, INDArray inputGradient) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            long outSize = size(outputGradient);
            double outNorm = outSize == 0 ? 0 : DenseReductions.l2(outputGradient);
            long outBad = outSize == 0 ? 0 : NonFiniteProbe.countIfSuspicious(outputGradient, outNorm);
            long inSize = size(inputGradient);
            double inNorm = inSize == 0 ? 0 : DenseReductions.l2(inputGradient);
            long inBad = inSize == 0 ? 0 : NonFiniteProbe.countIfSuspicious(inputGradient, inNorm);
            return new BackwardStats(layer, outSize, outNorm, outBad, inSize, inNorm, inBad);
        }
    }

    private static long size(INDArray array) {
        return array == null || array.isEmpty() ? 0 : array.length();
    }
}
