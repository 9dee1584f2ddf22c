/**
 * Tries the diagnosis' fixes on copies of the network: applies a remedy to a cloned configuration, trains the same
 * short budget on the same data and seed as an unchanged copy, and reports whether the incident went away.
 */
package io.dl4jdebug.repair;
