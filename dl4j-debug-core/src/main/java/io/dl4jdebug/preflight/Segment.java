package io.dl4jdebug.preflight;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A unit that bisection adds back at once: one layer of a MultiLayerNetwork (with the parameter-free layers that
 * follow it), or the vertices of a ComputationGraph between two vertices every path passes through (a residual
 * block with its add vertex and activation, or a single layer).
 *
 * @param index   its position among the segments, from the input (0) to the output
 * @param name    its name in messages: its first layer with parameters (its first member when none has any)
 * @param end     the last member: the vertex or layer whose output feeds the next segment
 * @param members its layers and vertices in topological order
 */
public record Segment(int index, String name, String end, List<String> members) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates the fields and copies the members. */
    public Segment {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0 but was " + index);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(end, "end");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a segment needs at least one member");
        }
    }

    /** @return true when it is more than one layer */
    public boolean isBlock() {
        return members.size() > 1;
    }

    /** @return "layer h1" or "block r1 -> r2 -> add -> relu1" */
    public String describe() {
        return isBlock() ? "block " + String.join(" -> ", members) : "layer " + name;
    }
}
