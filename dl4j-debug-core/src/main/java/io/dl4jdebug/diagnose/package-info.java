/**
 * Findings, checklist items, the symptom vocabulary and the rules that judge snapshot histories; plain Java, no ND4J.
 */
package io.dl4jdebug.diagnose;
