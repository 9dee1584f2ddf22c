/**
 * Benchmarks of dl4j-debug's own cost, run as plain mains (never as timed unit tests).
 */
package io.dl4jdebug.samples.bench;
