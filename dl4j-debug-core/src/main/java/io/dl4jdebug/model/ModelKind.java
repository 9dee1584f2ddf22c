package io.dl4jdebug.model;

/** The two DL4J network types that dl4j-debug understands. */
public enum ModelKind {
    /** {@code org.deeplearning4j.nn.multilayer.MultiLayerNetwork}. */
    MULTI_LAYER_NETWORK,
    /** {@code org.deeplearning4j.nn.graph.ComputationGraph}. */
    COMPUTATION_GRAPH
}
