/**
 * CIFAR-10 in the on-disk layout of DL4J's own Cifar10DataSetIterator: real data, converted binaries or generated images,
 * and the small CIFAR ResNet of the case study.
 */
package io.dl4jdebug.samples.cifar;
