package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;

/**
 * One item of the quick checklist. A check reads what it needs from the {@link CheckContext} (computed once per run
 * and shared), judges, and returns its item with the findings behind a WARN or FAIL. It never changes the user's
 * network: anything that trains or computes gradients runs on a copy. To add a check, write a class implementing this
 * interface and register it in {@link Checks#defaults()}.
 */
public interface ChecklistCheck {

    /** @return the item's stable id, e.g. {@code "data.finite"} */
    String id();

    /** @return the debugging level the item checks; its SKIPPED and PASS items carry it */
    Level level();

    /**
     * @return the symptom the check's findings carry; when the check itself crashes, the finding that says so carries
     *         it too (the area that stays unchecked)
     */
    Symptom symptom();

    /**
     * Runs the check.
     *
     * @param context the run's network, data and shared measurements
     * @return the item and its findings
     */
    CheckResult run(CheckContext context);
}
