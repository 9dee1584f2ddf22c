/**
 * Probes that reduce ND4J arrays on the device to immutable snapshots of scalars.
 */
package io.dl4jdebug.measure;
