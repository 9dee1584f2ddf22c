/**
 * Readers for datasets used by the samples and tests (the IDX format of the MNIST family) and a generated sequence task with masks.
 */
package io.dl4jdebug.data;
