package io.dl4jdebug.wrapper;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The layer implementation DL4J builds from a {@link ProbedLayer} around a recurrent layer ({@code LSTM},
 * {@code SimpleRnn}, {@code Bidirectional}, ...): it <em>is</em> a {@link RecurrentLayer}, because DL4J picks the
 * recurrent code paths with {@code instanceof RecurrentLayer}, and looks through a wrapper for one, (truncated BPTT's {@code tbpttBackpropGradient} and
 * {@code rnnActivateUsingStoredState}, {@code rnnTimeStep}, the stored state between segments). Every call goes to
 * the wrapped layer unchanged; the training passes are measured by the same {@link ProbedLayerImpl} as any other
 * layer: the standard forward and backward ({@code activate}, {@code backpropGradient}) through it, and the
 * truncated-BPTT forward and backward (which DL4J calls instead) with its measurements after the wrapped layer
 * returns. {@code rnnTimeStep} is inference and is not measured. The wrapper's statistics count the padded time
 * steps of masked minibatches (DL4J 1.0.0-M2.1 gives the LSTM no mask to read); the listener-side
 * {@code ActivationMonitor} excludes them. Not thread safe (like the layer it wraps).
 */
public final class ProbedRecurrentLayerImpl extends BaseWrapperLayer implements RecurrentLayer {

    private static final long serialVersionUID = 1L;

    private final ProbedLayerImpl probed;
    private final RecurrentLayer recurrent;

    /**
     * @param probed    the probing wrapper around the recurrent layer (forward and backward go through it)
     * @param recurrent the wrapped recurrent layer itself (the layer {@code probed} wraps)
     */
    ProbedRecurrentLayerImpl(ProbedLayerImpl probed, RecurrentLayer recurrent) {
        // The recurrent layer is the underlying one: DL4J's MultiLayerNetwork.rnnGetPreviousState/rnnSetPreviousState
        // look through a BaseWrapperLayer and expect a RecurrentLayer there.
        super(recurrent);
        this.probed = probed;
        this.recurrent = recurrent;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return probed.activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return probed.activate(input, training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return probed.backpropGradient(epsilon, workspaceMgr);
    }

    /** @return the probing wrapper that measures this layer */
    ProbedLayerImpl probed() {
        return probed;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        return recurrent.rnnTimeStep(input, workspaceMgr);
    }

    @Override
    public Map<String, INDArray> rnnGetPreviousState() {
        return recurrent.rnnGetPreviousState();
    }

    @Override
    public void rnnSetPreviousState(Map<String, INDArray> stateMap) {
        recurrent.rnnSetPreviousState(stateMap);
    }

    @Override
    public void rnnClearPreviousState() {
        recurrent.rnnClearPreviousState();
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        INDArray out = recurrent.rnnActivateUsingStoredState(input, training, storeLastForTBPTT, workspaceMgr);
        if (training) {
            probed.afterForward(out);
        }
        return out;
    }

    @Override
    public Map<String, INDArray> rnnGetTBPTTState() {
        return recurrent.rnnGetTBPTTState();
    }

    @Override
    public void rnnSetTBPTTState(Map<String, INDArray> state) {
        recurrent.rnnSetTBPTTState(state);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = recurrent.tbpttBackpropGradient(epsilon, tbpttBackLength, workspaceMgr);
        probed.afterBackward(epsilon, result);
        return result;
    }
}
