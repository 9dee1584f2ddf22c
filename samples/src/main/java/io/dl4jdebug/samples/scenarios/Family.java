package io.dl4jdebug.samples.scenarios;

/** The family of model a scenario trains; the set must hold every one. */
public enum Family {
    /** A dense MultiLayerNetwork. */
    MLN,
    /** A ComputationGraph (dense or residual). */
    CG,
    /** A convolutional network (convolution and subsampling on 28x28 images). */
    CNN,
    /** A recurrent network (SimpleRnn or LSTM over 28-step sequences). */
    RNN,
    /** A model imported from a Keras .h5 file. */
    KERAS
}
