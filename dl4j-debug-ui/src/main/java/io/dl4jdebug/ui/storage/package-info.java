/**
 * The DL4J {@code Persistable} form of dl4j-debug's snapshots, findings, diagnoses, loss points and checklist results:
 * one record class, one type ID per kind, a compact versioned binary encoding.
 */
package io.dl4jdebug.ui.storage;
