/**
 * Training health in the user's own tests: train a network briefly with the suite attached and assert that its
 * diagnosis is clean ({@link io.dl4jdebug.check.TrainingCheck}).
 */
package io.dl4jdebug.check;
