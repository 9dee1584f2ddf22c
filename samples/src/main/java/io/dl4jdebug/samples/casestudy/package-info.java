/**
 * The CIFAR-10 ResNet case study (the method article's section 8), automated: checklist, monitors, minimal example,
 * bisection, diagnosis and the fixed run.
 */
package io.dl4jdebug.samples.casestudy;
