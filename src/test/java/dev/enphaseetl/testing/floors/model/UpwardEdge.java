package dev.enphaseetl.testing.floors.model;

import dev.enphaseetl.testing.floors.pipeline.Top;

/** A synthetic upward import for {@code ArchitectureTest}: the bottom floor using the pipeline floor. */
public final class UpwardEdge {

    public static String name() {
        return Top.name();
    }
}
