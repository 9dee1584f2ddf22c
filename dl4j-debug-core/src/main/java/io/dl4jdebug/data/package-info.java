/**
 * Readers for datasets used by the samples and tests (the IDX format of the MNIST family).
 */
package io.dl4jdebug.data;
