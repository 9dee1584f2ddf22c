package io.dl4jdebug.wrapper;

import io.dl4jdebug.listener.NonFiniteException;
import io.dl4jdebug.measure.ActivationProbe;
import io.dl4jdebug.measure.ActivationStats;
import io.dl4jdebug.measure.BackwardProbe;
import io.dl4jdebug.measure.BackwardStats;
import io.dl4jdebug.measure.NonFiniteEvent;
import io.dl4jdebug.measure.NonFiniteProbe;
import io.dl4jdebug.model.LayerInfo;
import io.dl4jdebug.model.ModelView;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Map;

/**
 * The layer implementation DL4J builds from a {@link ProbedLayer}: it runs the wrapped layer unchanged and, in
 * training passes, measures what the layer produced and hands it to its {@link ProbeSession}.
 *
 * <ul>
 *   <li>Forward (both {@code activate} overloads: MultiLayerNetwork calls the one with the input, ComputationGraph the
 *   one without): on scheduled iterations the output's {@code ActivationStats}, otherwise a one-sum non-finite
 *   check. A non-finite output is blamed on this layer ({@code ACTIVATION}) unless its input already was non-finite
 *   ({@code LAYER_INPUT}: made upstream by something not wrapped).</li>
 *   <li>Backward: the norms and non-finite counts of dL/d(output) (the epsilon received) and dL/d(input) (the
 *   epsilon returned). A non-finite dL/d(output) arrived from above ({@code OUTPUT_GRADIENT}); a non-finite
 *   dL/d(input) or parameter gradient made from a finite dL/d(output) is this layer's ({@code INPUT_GRADIENT},
 *   {@code GRADIENT}).</li>
 * </ul>
 * Inference passes ({@code training == false}: {@code output}, evaluation, scoring) are not measured, so every
 * measurement belongs to a training iteration. Arrays are only read, with device reductions outside DL4J's
 * workspaces, so outputs and gradients are bit-identical to the unwrapped layer's. The wrapper's own failures are
 * logged once and never break training; only the {@link NonFiniteException} of policy THROW leaves it.
 * Not thread safe (like the layer it wraps).
 */
public final class ProbedLayerImpl extends BaseWrapperLayer {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProbedLayerImpl.class);
    private static final ActivationProbe ACTIVATIONS = new ActivationProbe();
    private static final BackwardProbe BACKWARD = new BackwardProbe();

    private final ProbedLayer wrapperConf;
    private final LayerInfo info;
    private transient boolean failureReported;
    private transient boolean missingSessionReported;

    /**
     * @param underlying the wrapped layer implementation
     * @param wrapperConf the wrapper configuration (holds the session id)
     * @param index      the layer index (MultiLayerNetwork) or vertex index (ComputationGraph)
     */
    ProbedLayerImpl(Layer underlying, ProbedLayer wrapperConf, int index) {
        super(underlying);
        this.wrapperConf = wrapperConf;
        String name = underlying.conf().getLayer().getLayerName();
        this.info = ModelView.describeStandalone(index, name != null ? name : String.valueOf(index), underlying);
    }

    /** @return the wrapper configuration this layer was built from */
    public ProbedLayer wrapperConf() {
        return wrapperConf;
    }

    /** @return the name the wrapper reports this layer under */
    public String layerName() {
        return info.name();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = underlying.activate(training, workspaceMgr);
        if (training) {
            afterForward(out);
        }
        return out;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = underlying.activate(input, training, workspaceMgr);
        if (training) {
            afterForward(out);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = underlying.backpropGradient(epsilon, workspaceMgr);
        afterBackward(epsilon, result);
        return result;
    }

    private ProbeSession session() {
        ProbeSession s = ProbeSession.lookup(wrapperConf.getSessionId());
        if (s == null && !missingSessionReported) {
            missingSessionReported = true;
            LOG.info("layer '{}' is wrapped for probing but no probe session with id '{}' is open: it measures "
                    + "nothing. Open one with ProbeSession.builder().id(\"{}\").build() or attach a session to "
                    + "the network with session.attachTo(net).", info.name(), wrapperConf.getSessionId(),
                    wrapperConf.getSessionId());
        }
        return s;
    }

    void afterForward(INDArray out) {
        try {
            ProbeSession s = session();
            if (s == null) {
                return;
            }
            int iteration = underlying.getIterationCount();
            int epoch = underlying.getEpochCount();
            boolean stats = s.statsDue(iteration);
            boolean check = s.checkDue(iteration);
            if (!stats && !check) {
                return;
            }
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                long bad;
                if (stats) {
                    ActivationStats a = ACTIVATIONS.measure(info, out);
                    s.recordForward(iteration, epoch, a);
                    bad = a.nonFinite();
                } else {
                    bad = NonFiniteProbe.countAfterSum(out);
                }
                if (bad > 0 && s.armed()) {
                    INDArray in = underlying.input();
                    long badIn = in == null ? 0 : NonFiniteProbe.count(in);
                    s.report(badIn > 0
                            ? new NonFiniteEvent(iteration, epoch, NonFiniteEvent.Kind.LAYER_INPUT, info.name(), null,
                                    badIn, in.length())
                            : new NonFiniteEvent(iteration, epoch, NonFiniteEvent.Kind.ACTIVATION, info.name(), null,
                                    bad, out.length()));
                }
            }
        } catch (NonFiniteException e) {
            throw e;
        } catch (RuntimeException e) {
            failed("the forward pass", e);
        }
    }

    void afterBackward(INDArray epsilon, Pair<Gradient, INDArray> result) {
        try {
            ProbeSession s = session();
            if (s == null) {
                return;
            }
            int iteration = underlying.getIterationCount();
            int epoch = underlying.getEpochCount();
            boolean stats = s.statsDue(iteration);
            boolean check = s.checkDue(iteration) && s.armed();
            if (!stats && !check) {
                return;
            }
            INDArray inputGradient = result == null ? null : result.getSecond();
            INDArray parameterGradients = check && result != null && result.getFirst() != null
                    ? underlying.getGradientsViewArray() : null;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                // One host read: both activation gradients and (when checking) the parameter gradients.
                long badOut;
                long badIn;
                boolean parametersFinite;
                if (stats) {
                    BackwardProbe.Measured m = BACKWARD.measure(info.name(), epsilon, inputGradient,
                            parameterGradients);
                    s.recordBackward(iteration, epoch, m.stats());
                    badOut = m.stats().outputGradientNonFinite();
                    badIn = m.stats().inputGradientNonFinite();
                    parametersFinite = m.parameterGradientsFinite();
                } else {
                    int first = NonFiniteProbe.firstNonFinite(Arrays.asList(epsilon, inputGradient,
                            parameterGradients));
                    badOut = first == 0 ? NonFiniteProbe.count(epsilon) : 0;
                    badIn = first == 1 ? NonFiniteProbe.count(inputGradient) : 0;
                    parametersFinite = first != 2;
                }
                if (!s.armed()) {
                    return;
                }
                if (badOut > 0) {
                    s.report(new NonFiniteEvent(iteration, epoch, NonFiniteEvent.Kind.OUTPUT_GRADIENT, info.name(),
                            null, badOut, epsilon.length()));
                } else if (badIn > 0) {
                    s.report(new NonFiniteEvent(iteration, epoch, NonFiniteEvent.Kind.INPUT_GRADIENT, info.name(),
                            null, badIn, inputGradient.length()));
                } else if (!parametersFinite) {
                    reportParameterGradient(s, iteration, epoch, result.getFirst());
                }
            }
        } catch (NonFiniteException e) {
            throw e;
        } catch (RuntimeException e) {
            failed("the backward pass", e);
        }
    }

    private void reportParameterGradient(ProbeSession s, int iteration, int epoch, Gradient gradient) {
        for (Map.Entry<String, INDArray> e : gradient.gradientForVariable().entrySet()) {
            long bad = NonFiniteProbe.count(e.getValue());
            if (bad > 0) {
                s.report(new NonFiniteEvent(iteration, epoch, NonFiniteEvent.Kind.GRADIENT, info.name(), e.getKey(),
                        bad, e.getValue().length()));
                return;
            }
        }
    }

    private void failed(String where, RuntimeException e) {
        ProbeSession s = ProbeSession.lookup(wrapperConf.getSessionId());
        boolean first = s != null ? s.failures().record("layer wrapper of '" + info.name() + "'", where, e)
                : !failureReported;
        failureReported = true;
        if (first) {
            LOG.warn("layer wrapper of '{}' failed in {}; training goes on without its measurement. Later failures "
                    + "are logged at DEBUG.", info.name(), where, e);
        } else {
            LOG.debug("layer wrapper of '{}' failed again in {}", info.name(), where, e);
        }
    }
}
