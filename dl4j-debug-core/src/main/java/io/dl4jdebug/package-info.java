/**
 * The entry point: {@link io.dl4jdebug.Dl4jDebug#attach} applies a debug configuration and attaches the suite.
 */
package io.dl4jdebug;
