/**
 * Checks run before or beside training: the quick checklist, the minimal reproducible example and layer bisection,
 * gradient checking.
 */
package io.dl4jdebug.preflight;
