package io.dl4jdebug.diagnose;

/**
 * The setting (of the configuration or of the data) that a root cause sits in and that its fix changes: the stations
 * a value passes on its way through DL4J, forward (input scale, init, width, activation, BatchNorm, output/loss) and
 * backward (loss/output pair, minibatch averaging, regularization, gradient normalization, updater and its rate
 * schedule). A diagnosis names one; a labelled scenario names the one its fix must change.
 */
public enum Setting {
    /** The updater's learning rate (its fixed value; a rate of 0 freezes a layer). */
    LEARNING_RATE,
    /** The learning-rate schedule ({@code ISchedule}): the rate applied at this iteration or epoch. */
    LEARNING_RATE_SCHEDULE,
    /** The updater itself or its other hyper-parameters: momentum, beta1/beta2, epsilon, rho. */
    UPDATER,
    /** Gradient normalization: its type and threshold (clipping). */
    GRADIENT_NORMALIZATION,
    /** {@code miniBatch(boolean)}: whether gradients are averaged over the minibatch or summed. */
    MINIBATCH_AVERAGING,
    /** The minibatch size the network is fed. */
    BATCH_SIZE,
    /** l1, l2 and weight decay coefficients. */
    REGULARIZATION,
    /** Dropout (DL4J's {@code dropOut(p)} is the retain probability). */
    DROPOUT,
    /** The weight initialisation (scheme, distribution, or a constant/zero init). */
    WEIGHT_INIT,
    /** The bias initialisation. */
    BIAS_INIT,
    /** A hidden layer's activation function. */
    ACTIVATION,
    /** The output layer's loss function and activation, as a pair (and the labels' encoding they expect). */
    LOSS_FUNCTION,
    /** BatchNormalization: gamma/beta, decay, epsilon, locked parameters, the batch it sees. */
    BATCH_NORMALIZATION,
    /** A layer's width (number of units or channels). */
    LAYER_WIDTH,
    /** Truncated backpropagation through time (its length). */
    BPTT_LENGTH,
    /** The input features' scale and centring (normalization). */
    INPUT_SCALE,
    /** The labels: their values, encoding, or correspondence with the features. */
    LABELS,
    /** The split between training and validation data (leakage, a too-small training set). */
    DATA_SPLIT,
    /** How long training runs (epochs), or early stopping. */
    TRAINING_LENGTH
}
