package io.dl4jdebug.measure;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Device-side helpers that exclude the padded time steps of a masked output: the mask broadcast to the output's
 * shape as a boolean condition, and ND4J's {@code select} (which, unlike multiplying by the mask, also drops a NaN
 * or infinity that sits in a padded step). Nothing is read to the JVM. Stateless and thread safe.
 */
final class MaskedOutputs {

    private MaskedOutputs() {
    }

    /**
     * @param output   the output, rank 3 (NCW when {@code unitAxis} is 1, NWC when it is 2) or rank 2
     * @param mask     {@code [minibatch, time]} for rank 3, {@code [rows, 1]} for rank 2; 1 keeps, 0 drops
     * @param unitAxis the output's unit axis
     * @return a boolean array of the output's shape, true where the value belongs to a real step
     * @throws IllegalArgumentException when the mask's shape does not fit the output
     */
    static INDArray broadcastCondition(INDArray output, INDArray mask, int unitAxis) {
        INDArray shaped;
        if (output.rank() == 3) {
            int timeAxis = unitAxis == 2 ? 1 : 2;
            if (mask.rank() != 2 || mask.size(0) != output.size(0) || mask.size(1) != output.size(timeAxis)) {
                throw new IllegalArgumentException("mask " + java.util.Arrays.toString(mask.shape())
                        + " does not fit the output " + java.util.Arrays.toString(output.shape())
                        + ": expected [minibatch, time]");
            }
            shaped = timeAxis == 2 ? mask.reshape(mask.size(0), 1, mask.size(1))
                    : mask.reshape(mask.size(0), mask.size(1), 1);
        } else if (output.rank() == 2 && mask.length() == output.size(0)) {
            shaped = mask.reshape(output.size(0), 1);
        } else {
            throw new IllegalArgumentException("mask " + java.util.Arrays.toString(mask.shape())
                    + " does not fit the output " + java.util.Arrays.toString(output.shape())
                    + ": expected [minibatch, time] for a rank-3 output or [rows, 1] for a rank-2 output");
        }
        return shaped.castTo(DataType.BOOL).broadcast(output.shape());
    }

    /**
     * @param condition where to keep {@code values}
     * @param values    the values
     * @param otherwise the values elsewhere (same shape)
     * @return a new array: {@code condition ? values : otherwise}
     */
    static INDArray select(INDArray condition, INDArray values, INDArray otherwise) {
        INDArray out = Nd4j.createUninitialized(values.dataType(), values.shape());
        Nd4j.exec(new Select(new INDArray[] {condition, values, otherwise}, new INDArray[] {out}));
        return out;
    }
}
