/**
 * Reads a network's configuration and weights into the diagnosis' plain facts ({@code diagnose.NetworkFacts}): the
 * bridge between {@code model} (DL4J, the bottom layer, which imports nothing above it) and {@code diagnose} (plain
 * Java, which imports no DL4J type).
 */
package io.dl4jdebug.facts;
