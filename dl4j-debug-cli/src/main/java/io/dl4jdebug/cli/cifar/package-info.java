/**
 * CIFAR-10 in the on-disk layout of DL4J's own Cifar10DataSetIterator: real data, converted binaries or generated
 * images (the {@code diagnose --data cifar10} loader; the case study's ResNet is in the samples).
 */
package io.dl4jdebug.cli.cifar;
