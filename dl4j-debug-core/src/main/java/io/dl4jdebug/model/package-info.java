/**
 * One read-only view over MultiLayerNetwork and ComputationGraph: layers in topological order, parameters and their roles.
 */
package io.dl4jdebug.model;
