/**
 * A short monitored training run on Fashion-MNIST: a healthy network and one with a learning rate far too high.
 */
package io.dl4jdebug.samples.demo;
