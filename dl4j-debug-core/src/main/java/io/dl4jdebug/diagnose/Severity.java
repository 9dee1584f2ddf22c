package io.dl4jdebug.diagnose;

/** How urgent a finding is. */
public enum Severity {
    /** Worth knowing; training is probably fine. */
    INFO,
    /** Training is probably impaired. */
    WARN,
    /** Training is broken: results are meaningless until this is fixed. */
    ERROR
}
