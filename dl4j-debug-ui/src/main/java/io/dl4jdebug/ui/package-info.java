/**
 * dl4j-debug in the DL4J training UI: a sink that publishes into any {@code StatsStorageRouter}, and the UI module that
 * serves the Debug page and its JSON endpoints.
 */
package io.dl4jdebug.ui;
