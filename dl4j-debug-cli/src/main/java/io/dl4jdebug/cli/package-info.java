/**
 * The dl4j-debug command line for users' own models: {@code diagnose} (model files, datasets, {@code --stats}) and
 * {@code check-backend}, with the parts the samples' commands share (the backend gate, the findings' text, progress
 * lines, the shutdown watchdog). The distribution archive {@code dl4j-debug-VERSION.tar.gz} runs {@link DebugCli}.
 */
package io.dl4jdebug.cli;
