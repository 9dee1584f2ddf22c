package io.dl4jdebug.samples.scenarios;

/**
 * When a bug can be seen: before training, because a checklist item of {@code io.dl4jdebug.preflight} reads the
 * buggy setting from the configuration or the data (or its effect on the first minibatch, e.g. the loss at
 * initialisation or a gradient that does not reach a parameter); or only in training, where only the monitors can
 * find it. The score card reports the two apart.
 */
public enum Detection {
    /** A checklist item reads the bug from the configuration or the data before training. */
    BEFORE_TRAINING("before"),
    /** No checklist item reads it: only the monitors of the training can find it. */
    ONLY_IN_TRAINING("training");

    private final String shortName;

    Detection(String shortName) {
        this.shortName = shortName;
    }

    /** @return "before" or "training", for tables */
    public String shortName() {
        return shortName;
    }
}
