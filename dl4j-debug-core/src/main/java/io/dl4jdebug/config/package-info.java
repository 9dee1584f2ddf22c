/**
 * Validated, immutable configuration records for the monitors.
 */
package io.dl4jdebug.config;
