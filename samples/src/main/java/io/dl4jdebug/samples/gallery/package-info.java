/**
 * The bug gallery: one runnable Fashion-MNIST sample per common training failure, each with its fix.
 */
package io.dl4jdebug.samples.gallery;
