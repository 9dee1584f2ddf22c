package io.dl4jdebug.model;

/** Thrown when dl4j-debug is handed a model that is neither a MultiLayerNetwork nor a ComputationGraph. */
public class UnsupportedModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param model the model that was refused; may be null
     */
    public UnsupportedModelException(Object model) {
        super("dl4j-debug supports org.deeplearning4j.nn.multilayer.MultiLayerNetwork and "
                + "org.deeplearning4j.nn.graph.ComputationGraph, but was given "
                + (model == null ? "null" : model.getClass().getName())
                + ". Train a MultiLayerNetwork or ComputationGraph, or wrap your layer in one.");
    }
}
