/**
 * Layer wrappers that probe each layer's output and the activation gradients between layers, and name the first
 * layer and pass that produce a NaN or infinite value.
 */
package io.dl4jdebug.wrapper;
