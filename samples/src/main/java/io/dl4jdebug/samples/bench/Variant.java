package io.dl4jdebug.samples.bench;

import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.List;
import java.util.function.Supplier;

/**
 * One configuration of listeners to time.
 *
 * @param name      printed name
 * @param listeners makes the listeners for one network (called once per variant)
 */
public record Variant(String name, Supplier<List<TrainingListener>> listeners) {
}
