/**
 * The no-code diagnose command: load a DL4J model and a dataset, run the checklist and the monitors, write a report.
 */
package io.dl4jdebug.cli.diagnose;
