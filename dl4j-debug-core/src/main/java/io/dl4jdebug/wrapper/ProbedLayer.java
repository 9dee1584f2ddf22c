package io.dl4jdebug.wrapper;

import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of a layer wrapper: wraps any non-output layer configuration and, once DL4J instantiates it, probes
 * the layer's output in the forward pass and the activation gradients dL/d(output) and dL/d(input) in the backward
 * pass (see {@link ProbedLayerImpl}). The math is the wrapped layer's, unchanged: same parameters, same parameter
 * keys, same updater and regularization, same outputs.
 *
 * <p>The wrapper stores the id of the {@link ProbeSession} its measurements go to, not the session itself: DL4J
 * creates layer implementations from configuration (also after JSON and {@code ModelSerializer} round trips), so
 * they find their session by id in the registry of open sessions. JSON form (DL4J's own Jackson, class-name typed):
 * <pre>{@code
 * {"@class": "io.dl4jdebug.wrapper.ProbedLayer", "layerName": "h1", "sessionId": "probe-...",
 *  "underlying": {"@class": "org.deeplearning4j.nn.conf.layers.DenseLayer", ...}, ...}
 * }</pre>
 * Build wrapped configurations and networks with {@link LayerWrappers}. Not thread safe (like every DL4J layer
 * configuration).
 */
public final class ProbedLayer extends BaseWrapperLayer {

    private static final long serialVersionUID = 1L;

    private String sessionId;

    /** For JSON deserialization only: the underlying layer and session id are set through the setters. */
    public ProbedLayer() {
        super();
    }

    /**
     * Wraps a layer configuration.
     *
     * @param underlying the layer to probe; not an output layer and not already wrapped
     * @param sessionId  the id of the {@link ProbeSession} that receives the measurements
     * @throws IllegalArgumentException when the layer cannot be wrapped (see {@link LayerWrappers#isWrappable})
     */
    public ProbedLayer(Layer underlying, String sessionId) {
        super(Objects.requireNonNull(underlying, "underlying layer must not be null"));
        String refusal = LayerWrappers.refusal(underlying);
        if (refusal != null) {
            throw new IllegalArgumentException("cannot wrap layer '" + underlying.getLayerName() + "' of type "
                    + underlying.getClass().getSimpleName() + ": " + refusal);
        }
        this.sessionId = requireId(sessionId);
        // A wrapper made after the configuration was built must carry the wrapped layer's name, or a reload would
        // propagate a null name into the underlying layer.
        this.layerName = underlying.getLayerName();
    }

    private static String requireId(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("sessionId must be a non-blank string but was '" + sessionId
                    + "'; use ProbeSession.id()");
        }
        return sessionId;
    }

    /** @return the id of the probe session that receives this layer's measurements */
    @JsonProperty("sessionId")
    public String getSessionId() {
        return sessionId;
    }

    /**
     * Points this wrapper at another probe session; live layer implementations follow at their next pass.
     *
     * @param sessionId the session id (non-blank)
     */
    @JsonProperty("sessionId")
    public void setSessionId(String sessionId) {
        this.sessionId = requireId(sessionId);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(underlying);
        org.deeplearning4j.nn.api.Layer impl = underlying.instantiate(inner, trainingListeners, layerIndex,
                layerParamsView, initializeParams, networkDataType);
        // The network keeps the outer configuration: give it the parameter names the inner layer registered.
        NeuralNetConfiguration implConf = impl.conf();
        if (implConf.variables() != null) {
            List<String> vars = implConf.variables(true);
            implConf.clearVariables();
            conf.clearVariables();
            for (String v : vars) {
                conf.variables(false).add(v);
                implConf.variables(false).add(v);
            }
        }
        ProbedLayerImpl probed = new ProbedLayerImpl(impl, this, layerIndex);
        // DL4J chooses its recurrent code paths (truncated BPTT, rnnTimeStep) with instanceof RecurrentLayer.
        return impl instanceof org.deeplearning4j.nn.api.layers.RecurrentLayer r
                ? new ProbedRecurrentLayerImpl(probed, r) : probed;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return underlying.getUpdaterByParam(paramName);
    }

    @Override
    public void setConstraints(List<LayerConstraint> constraints) {
        this.constraints = constraints;
        if (underlying != null) {
            underlying.setConstraints(constraints);
        }
    }

    @Override
    public void resetLayerDefaultConfig() {
        underlying.resetLayerDefaultConfig();
    }

    @Override
    public ProbedLayer clone() {
        ProbedLayer copy = (ProbedLayer) super.clone();
        copy.underlying = underlying == null ? null : underlying.clone();
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ProbedLayer)) {
            return false;
        }
        ProbedLayer other = (ProbedLayer) o;
        return Objects.equals(underlying, other.underlying) && Objects.equals(sessionId, other.sessionId)
                && Objects.equals(layerName, other.layerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(underlying, sessionId, layerName);
    }

    @Override
    public String toString() {
        return "ProbedLayer(session=" + sessionId + ", underlying=" + underlying + ")";
    }
}
