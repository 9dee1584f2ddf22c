package io.dl4jdebug.preflight.check;

import io.dl4jdebug.diagnose.Level;
import io.dl4jdebug.diagnose.Symptom;

import java.util.Objects;

/**
 * The identity of a check (id, level, symptom), held once so that each check class only implements
 * {@link #run(CheckContext)}.
 */
abstract class BaseCheck implements ChecklistCheck {

    private final String id;
    private final Level level;
    private final Symptom symptom;

    /**
     * @param id      the item's stable id
     * @param level   the debugging level it checks
     * @param symptom the symptom of its findings
     */
    BaseCheck(String id, Level level, Symptom symptom) {
        this.id = Objects.requireNonNull(id, "id");
        this.level = Objects.requireNonNull(level, "level");
        this.symptom = Objects.requireNonNull(symptom, "symptom");
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Level level() {
        return level;
    }

    @Override
    public final Symptom symptom() {
        return symptom;
    }
}
