package io.dl4jdebug.diagnose;

/** The verdict of one checklist item. */
public enum CheckStatus {
    /** The check ran and found nothing wrong. */
    PASS,
    /** The check ran and found something suspicious. */
    WARN,
    /** The check ran and found something wrong. */
    FAIL,
    /** The check could not run (missing input, not applicable); the evidence says why. */
    SKIPPED;

    /** @return true for WARN and FAIL: the check found something to look at */
    public boolean isProblem() {
        return this == WARN || this == FAIL;
    }
}
