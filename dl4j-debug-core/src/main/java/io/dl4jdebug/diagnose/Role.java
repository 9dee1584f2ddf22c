package io.dl4jdebug.diagnose;

/** The part a finding plays in its incident. */
public enum Role {
    /** The finding names the incident's root cause. */
    ROOT,
    /** The finding is explained by the incident's root cause. */
    CONSEQUENCE
}
