/**
 * The quick checklist's items, one class per check behind {@link io.dl4jdebug.preflight.check.ChecklistCheck}, and the
 * {@link io.dl4jdebug.preflight.check.CheckContext} that computes what several of them read once per run.
 */
package io.dl4jdebug.preflight.check;
