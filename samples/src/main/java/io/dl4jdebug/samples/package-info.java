/**
 * The dl4j-debug command line: demos, the case study, the bug gallery and benchmarks.
 */
package io.dl4jdebug.samples;
