/**
 * Shared {@code --ui} / {@code --stats-file} support of the commands: the DL4J training UI with the Debug page.
 */
package io.dl4jdebug.cli.ui;
