/**
 * Sinks that publish snapshots and findings (log, memory), isolated so that a failing sink never stops training.
 */
package io.dl4jdebug.publish;
