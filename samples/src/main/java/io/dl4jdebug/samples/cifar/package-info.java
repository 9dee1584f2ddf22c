/**
 * The small CIFAR ResNet of the case study (the CIFAR-10 data itself is read by {@code io.dl4jdebug.cli.cifar}).
 */
package io.dl4jdebug.samples.cifar;
