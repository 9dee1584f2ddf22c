/**
 * Thin DL4J TrainingListener adapters that schedule probes and hand snapshots and findings to sinks.
 */
package io.dl4jdebug.listener;
