/**
 * A diagnosis of a run recorded by DL4J's own {@code StatsListener} alone (no dl4j-debug listener attached during
 * training): its reports are read from a {@code StatsStorage}, judged by the rules its statistics support, and grouped
 * into incidents by core's {@code Diagnostician}.
 */
package io.dl4jdebug.ui.recorded;
