package io.dl4jdebug.diagnose;

/** The method's three debugging levels, checked in this order: a finding of an earlier level is fixed first. */
public enum Level {
    /** Code: shapes, types, wiring, data and labels. */
    CODE,
    /** Numerical: vanishing or exploding gradients, overflow, NaN/Inf, dead or saturated units. */
    NUMERICAL,
    /** Optimization: under- and overfitting, slow or unstable convergence. */
    OPTIMIZATION
}
