/**
 * Overhead benchmarks: alternating runs in one process, medians and ratios to a bare fit.
 */
package io.dl4jdebug.samples.bench;
